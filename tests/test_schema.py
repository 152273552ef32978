"""The JSON contract of vet is published as a JSON Schema, and every vet JSON output keeps to it."""

from __future__ import annotations

import json
from pathlib import Path

import badfiles
from conftest import CLI

from cadretool.output.schema import VetOutput

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"


def test_schema_command_prints_the_vet_schema(cli: CLI) -> None:
    run = cli("schema", "vet")
    assert run.exit_code == 0
    schema = json.loads(run.stdout)
    assert schema["title"] == "VetOutput"
    assert {"people", "summary", "unmatched_evidence", "errors"} <= set(schema["required"])
    assert schema["$defs"]["Person"]["properties"]["status"]["enum"] == ["eligible", "review", "ineligible"]


def test_sample_vet_json_keeps_to_the_schema(cli: CLI) -> None:
    run = cli(
        "vet",
        SAMPLES / "roster.xlsx",
        "-e",
        SAMPLES / "evidence_公安.xlsx",
        "-e",
        SAMPLES / "evidence_纪委监委.csv",
        "--format",
        "json",
    )
    parsed = VetOutput.model_validate(run.json)  # extra keys anywhere but evidence records fail
    assert parsed.summary.people == len(parsed.people) == 578
    assert parsed.unmatched_evidence


def test_error_and_masked_outputs_keep_to_the_schema(cli: CLI, tmp_path: Path) -> None:
    roster = badfiles.write_roster_xlsx(tmp_path / "城关镇.xlsx")
    run = cli("vet", roster, tmp_path / "缺失.xlsx", "--format", "json", "--mask-ids")
    parsed = VetOutput.model_validate(run.json)
    assert parsed.errors and all("********" in (p.id_number or "") for p in parsed.people)


def test_a_data_finding_cites_the_id_standard_only_where_it_is_about_the_id_number() -> None:
    """D06 (a value missing) and D07 (a value unreadable) are about any column: citing GB 11643 for
    a blank 考核优秀次数 misled the reader; D01–D05 and D08 are about the ID number."""
    from cadretool.catalogue import built_in

    assert all("GB 11643" in built_in(d).basis for d in ("D01", "D02", "D03", "D04", "D05", "D08"))
    assert all("GB 11643" not in built_in(d).basis for d in ("D06", "D07"))
