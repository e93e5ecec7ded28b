"""The terminal side of `simulate`: typing a conversation, and the `--at` moment.

Rules this module keeps: it only asks and prints (click); what the hotline answers is the
simulator's (`authoring.simulator`), so the command and the golden transcripts go through
the same code.
"""

from __future__ import annotations

import datetime as dt

import click

from .authoring.simulator import AT, NotAnInput, Simulator, programme_zone


def moment(ctx: click.Context, at: str | None, flows) -> dt.datetime | None:
    """`--at "2026-12-04 21:30"` as that moment in the programme's time zone (None: now)."""
    if at is None:
        return None
    try:
        when = dt.datetime.strptime(at.strip(), AT)
    except ValueError:
        ctx.fail(f'--at takes a date and a time, like "2026-12-04 21:30", not {at!r}')
    return when.replace(tzinfo=programme_zone(flows))


def converse(sim: Simulator, inputs: list[str] | None) -> list[tuple[str, list[str]]]:
    """Inputs typed (or read from `inputs`) until `quit` or the end of the call; each turn said."""
    who = "caller" if sim.channel == "voice" else "texter"
    turns = []
    while not sim.ended:
        if inputs is None:
            try:
                typed = click.prompt(who, default="", show_default=False, prompt_suffix="> ")
            except click.Abort:
                break
        elif inputs:
            typed = inputs.pop(0)
            click.echo(f"{who}> {typed}")
        else:
            break
        if typed.strip().lower() == "quit":
            break
        try:
            said = sim.send(typed)
        except NotAnInput as exc:
            click.echo(f"({exc})")
            continue
        click.echo("\n".join(said))
        turns.append((typed, said))
    return turns
