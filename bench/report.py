"""What `bench/run.py` prints: per scenario, ratios to the bare app and to the ceiling, then the rest.

Each ratio is worked out within one round (the apps ran one after the other on the same
requests) and the median over the rounds is reported, since other work on the machine
slows every app of a round alike and moves whole rounds.
"""

from __future__ import annotations

import os
import statistics

from .profile import RAISED_LIMITS
from .scenarios import TITLES

TARGETS = {"ceiling": 0.9, "p99_ms": 25.0, "round_trips": 2.0, "check_s": 2.0, "rss_mb": 100.0,
           "stall_p99_ms": 1000.0, "recovery_s": 1.0}


def median_ratio(rounds: list[dict], app: str, other: str) -> float | None:
    ratios = [found[app]["rps"] / found[other]["rps"] for found in rounds if app in found and other in found]
    return statistics.median(ratios) if ratios else None


def summary(result: dict) -> dict[str, dict]:
    """Per scenario: median req/s of each app, the ratios, Redis per webhook, instructions."""
    table = {}
    for name, rounds in result["rounds"].items():
        apps = {app for found in rounds for app in found}
        row = {app: statistics.median(found[app]["rps"] for found in rounds if app in found) for app in apps}
        row["to_bare"] = median_ratio(rounds, "hotline", "baseline")
        row["to_ceiling"] = median_ratio(rounds, "hotline", "ceiling")
        row["ceiling_to_bare"] = median_ratio(rounds, "ceiling", "baseline")
        row["ivr_to_bare"] = median_ratio(rounds, "ivr", "baseline")
        for app in ("hotline", "ceiling"):
            row[f"{app}_redis_us"] = statistics.median(found[app]["redis_cpu_us"] for found in rounds)
            row[f"{app}_cpu_us"] = statistics.median(found[app].get("app_cpu_us", 0) for found in rounds)
        row["wrapped"] = sum(found["hotline"]["wrapped"] for found in rounds)
        instructions = result.get("instructions")
        if instructions:
            row["instructions"] = {app: counts[name] for app, counts in instructions.items()}
        table[name] = row
    return table


def ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def report(args, result: dict) -> bool:
    """Print the figures and targets; True if no request failed."""
    table = summary(result)
    server = (f"{args.workers} gunicorn sync workers each{' (--preload)' * args.preload}" if args.server == "gunicorn"
              else f"granian, {args.workers} WSGI workers each")
    print(f"\nhotline benchmark: {server}, {os.cpu_count()} cores, "
          f"load average {result['load_before']:.2f} before the start")
    if result["load_before"] > 0.5:
        print("  Other work is running on this machine: every app is slowed by it; read the ratios, not the req/s.")
    print("  Flood limits RAISED for the benchmark (" + ", ".join(f"{k}={int(v):,}" for k, v in RAISED_LIMITS.items())
          + "): at the defaults a run of new calls is answered 'too many calls' within seconds.")
    print(f"\nThroughput, req/s: wrk (1 thread, 16 connections) over pre-signed webhooks with Twilio's fields, "
          f"{args.seconds:g} s per app per scenario, {args.rounds} round(s); medians")
    print(f"  {'scenario':<42}{'bare':>7}{'ceiling':>8}{'ivr':>6}{'hotline':>8}   hot/bare  hot/ceil  ceil/bare"
          "  ivr/bare")
    errors = 0
    for name, row in table.items():
        ivr = f"{row['ivr']:>6.0f}" if "ivr" in row else f"{'':>6}"
        print(f"  {TITLES[name]:<42}{row['baseline']:>7.0f}{row['ceiling']:>8.0f}{ivr}{row['hotline']:>8.0f}"
              f"   {ratio(row['to_bare']):>8}  {ratio(row['to_ceiling']):>8}  {ratio(row['ceiling_to_bare']):>9}"
              f"  {ratio(row['ivr_to_bare']):>8}")
        for found in result["rounds"][name]:
            for app, run in found.items():
                errors += run["errors"]
                for reason in run["reasons"]:
                    print(f"      {app}: {run['errors']} errors, first: {reason}")
        if row["wrapped"]:
            print(f"      the hotline ran out of new requests {row['wrapped']} time(s): repeats flatter these figures")
    hot_p99 = max(found["hotline"]["p99_ms"] for rounds in result["rounds"].values() for found in rounds)
    cpu = max(run["client_cpu"] for rounds in result["rounds"].values() for found in rounds for run in found.values())
    print(f"  (at saturation, latency is queueing: hotline p99 at most {hot_p99:.1f} ms; wrk used at most "
          f"{cpu:.0%} of a core)")

    print("\nPer webhook, per scenario (CPU: the app's workers' user and system time under wrk, medians):")
    print(f"  {'scenario':<14}{'instructions (k): hotline':>27}{'ceiling':>9}{'ratio':>7}"
          f"{'round trips':>13}{'Redis CPU us: hotline':>23}{'ceiling':>9}{'app CPU us: hotline':>21}{'ceiling':>9}"
          f"{'ratio':>7}")
    trips = result["trips"]
    for name, row in table.items():
        counts = row.get("instructions")
        counted = (f"{counts['hotline']:>27,.0f}{counts['ceiling']:>9,.0f}{counts['hotline'] / counts['ceiling']:>7.2f}"
                   if counts else f"{'(not counted)':>27}{'':>16}")
        cpu_ratio = row["hotline_cpu_us"] / row["ceiling_cpu_us"] if row["ceiling_cpu_us"] else None
        print(f"  {name:<14}{counted}{trips[name]['per_webhook']:>13.2f}{row['hotline_redis_us']:>23.0f}"
              f"{row['ceiling_redis_us']:>9.0f}{row['hotline_cpu_us']:>21.0f}{row['ceiling_cpu_us']:>9.0f}"
              f"{ratio(cpu_ratio):>7}")
        errors += trips[name]["errors"]
    if "instructions" in result:
        base = result["instructions"]["baseline"]
        print("  (bare Flask: " + ", ".join(f"{name} {base[name]:,.0f}k" for name in table) + " instructions)")
    else:
        print("  (instructions: python -m bench.instructions, or bench/run.py without --quick)")
    for name in table:
        found = trips[name]
        print(f"  round trips, {name}: " + " + ".join(f"{c} {n:.2f}" for c, n in found["direct"].items())
              + "; inside scripts: " + ", ".join(f"{c} {n:.2f}" for c, n in found["in_scripts"].items()))

    paced, base = result["paced"], result["paced_base"]
    errors += paced["errors"] + base["errors"]
    pause = f"{args.think_ms / 2:g}-{args.think_ms * 1.5:g} ms"
    print(f"\nLatency: {args.conversations} conversations, each pausing {pause} "
          "between steps (a caller listens for seconds)")
    for label, run in (("hotline", paced), ("bare Flask", base)):
        print(f"  {label:<11} {run['rps']:>6.0f} req/s  p50 {run['p50_ms']:>5.1f}  p95 {run['p95_ms']:>5.1f}  "
              f"p99 {run['p99_ms']:>5.1f} ms  errors {run['errors']}")
        for reason in run["reasons"]:
            print(f"      {reason}")

    print("\nMemory per worker, MB (peak RSS / PSS / shared with the other processes):")
    for app, found in result["memory"].items():
        print(f"  {app:<9} " + "; ".join(f"{m['peak_rss']:.1f} / {m['pss']:.1f} / {m['shared']:.1f}" for m in found))
    figures = result.get("figures_memory")
    if figures and figures["contacts"]:
        size, per = figures["bytes"] / 1024, figures["per_10000"] / 1024
        print(f"\nUsage figures in Redis after one measured run: {figures['keys']} keys, {size:.0f} kB for "
              f"{figures['contacts']:,} calls and texts: {per:.0f} kB per 10,000 (they grow with the days, "
              "languages and nodes used, not with the calls)")
    memory = result["memory"]["hotline"]
    pss, peak = max(m["pss"] for m in memory), max(m["peak_rss"] for m in memory)
    check = result["check"]
    print(f"\nCoordinators' check of a generated flow set of {check['nodes']} nodes in {check['languages']} languages: "
          f"{check['wall_s']:.2f} s, median of 3, Python start-up included (it said: {check['summary']})")
    stall = result["stall"]
    print(f"\nRedis stalled (SIGSTOP) for {args.stall_seconds:g} s while {args.stall_rate:g} new calls a second "
          f"arrived: {stall['calls']} calls, {stall['safe_answers']} got the safe answer, "
          f"p50 {stall['p50_ms']:.1f}  p99 {stall['p99_ms']:.1f}  max {stall['max_ms']:.1f} ms, "
          f"{stall['over_15s']} answered after Twilio's 15 s, {stall['unanswered']} unanswered; "
          f"normal service {stall['recovered_after_s']} s after Redis resumed")
    print(f"\nErrors: {errors}")
    print("\nTargets:")
    rows = [(row["to_ceiling"] >= TARGETS["ceiling"],
             f"{TITLES[name]} >= {TARGETS['ceiling']}x the ceiling app: {row['to_ceiling']:.3f}x")
            for name, row in table.items()]
    # The request still in flight when wrk stops adds a few commands to some hundreds of webhooks.
    most_trips = round(max(found["per_webhook"] for found in trips.values()), 2)
    rows += [
        (paced["p99_ms"] < TARGETS["p99_ms"],
         f"p99 < {TARGETS['p99_ms']:g} ms with {args.conversations} conversations: {paced['p99_ms']:.1f} ms"),
        (most_trips <= TARGETS["round_trips"],
         f"<= {TARGETS['round_trips']:g} Redis round trips per webhook: {most_trips:.2f} at most"),
        (check["wall_s"] < TARGETS["check_s"] and check["exit"] == 0,
         f"1,000-node, 6-language flow set checked in < {TARGETS['check_s']:g} s: {check['wall_s']:.2f} s"),
        (pss < TARGETS["rss_mb"], f"< {TARGETS['rss_mb']:g} MB per worker: PSS {pss:.1f} MB at most "
         f"(peak RSS {peak:.1f} MB, counting pages shared with the other workers)"),
        (stall["p99_ms"] < TARGETS["stall_p99_ms"] and stall["over_15s"] == 0 and stall["unanswered"] == 0,
         f"Redis stalled: p99 < {TARGETS['stall_p99_ms']:g} ms and no caller past 15 s: "
         f"p99 {stall['p99_ms']:.1f} ms, {stall['over_15s']} past 15 s"),
        (stall["recovered_after_s"] is not None and stall["recovered_after_s"] <= TARGETS["recovery_s"],
         f"normal service within {TARGETS['recovery_s']:g} s of Redis resuming: {stall['recovered_after_s']} s"),
        (errors == 0, f"no errors: {errors}"),
    ]
    for met, text in rows:
        print(f"  [{'met' if met else 'NOT MET'}] {text}")
    return errors == 0
