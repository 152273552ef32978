"""cadretool: vet, pay and look after village (community) two-committee cadres."""

__version__ = "0.1.0"
