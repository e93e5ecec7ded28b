"""`python -m hotline check|schema|simulate|translate`: the coordinators' commands, no server needed."""

from .cli import cli

cli(prog_name="hotline")
