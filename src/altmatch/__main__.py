"""Lets `python -m altmatch` run the same CLI as the `altmatch` command."""

from altmatch.cli import main

main()
