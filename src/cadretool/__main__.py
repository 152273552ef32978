from cadretool.cli import main

main()
