"""Usage figures as coordinators, funders and operators see them: read from the counters
`state.stats` keeps, with small cells suppressed, as tables, CSV and a quarterly report.

Rules this package keeps:
- Every figure that leaves it (terminal, CSV, console) has gone through `suppress`: a
  count under `HOTLINE_SMALL_CELLS` reads "<10", and so does any total that would give a
  hidden count back by subtraction.
- It only reads, except to roll up finished months (`state.stats_months`) before reading
  them. Test traffic is read only when asked for, and labelled as such.
"""
