"""Small cells: a figure under the threshold is shown as "<10", and a total that would
give it back by subtraction is hidden too.

Rules this module keeps:
- A count of 1 to `threshold - 1` is hidden. Zero is shown: it tells nobody anything.
- A total shown beside its parts (a day's calls beside its languages) is hidden when it
  is itself small, or when its hidden parts could be got back from it: exactly one hidden
  part (the total minus the others), or hidden parts whose sum is small. It then reads
  "suppressed" (it may be 10 or more).
"""

from __future__ import annotations

SUPPRESSED = "suppressed"


def hidden(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def cell(value: int, threshold: int) -> str:
    """One figure as shown: the number, or "<10"."""
    return f"<{threshold}" if hidden(value, threshold) else str(value)


def total(parts: list[int], threshold: int) -> str:
    """The total of `parts`, shown beside them, as shown."""
    whole = sum(parts)
    if hidden(whole, threshold):
        return cell(whole, threshold)
    small = [part for part in parts if hidden(part, threshold)]
    if len(small) == 1 or hidden(sum(small), threshold):
        return SUPPRESSED
    return str(whole)
