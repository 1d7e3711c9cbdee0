"""Our PDF beside Typst and WeasyPrint, in one running process, timed in turns.

Typst (Rust, through the ``typst`` package) gets a document with the same text,
tables and faces (``benchmarks.typst_peer``), a distinct one each round;
WeasyPrint gets the HTML of our Markdown export. Ours and the peer alternate run
by run, so the load of a shared machine falls on both alike, and each row gives
the medians with the range of every run, of wall time and of CPU time (the
process's, all threads: Typst's included), the figure a shared machine disturbs
least. The cost of tagging is measured the same way: our tagged PDF beside the
same render without its structure (``render_pdf(..., tagged=False)``).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping

from benchmarks import peers
from benchmarks.inprocess import Formats, short_reason
from benchmarks.measure import Timing, progress, spread_text
from benchmarks.plan import BUNDLED_EPISODE, SEED, Plan, Runs
from benchmarks.synthetic import episode_bytes, generate_episode, scaled_shape
from benchmarks.table import Row, Target, ratio
from benchmarks.typst_peer import TypstPeer, typst_available
from briefing.labels import labels_for
from briefing.model import Episode
from briefing.pipeline import default_context
from briefing.source import episode_from_data, load_episode, parse_json
from styles import Theme, load_theme

GROUP = "PDF beside Typst and WeasyPrint, running process, in turns (median of runs)"
TYPST_TARGET = Target("<=", 1.0, "<= 1.0 (as fast as Typst)")
WEASYPRINT_TARGET = Target(">=", 10.0, ">= 10 (10x faster)")
TAGGING_TARGET = Target("<=", 1.15, "<= 1.15 (tagging at most 15% slower)")


def _nothing() -> None:
    return None


def _interleaved(
    actions: Mapping[str, tuple[Callable[[], object], Callable[[], object]]], runs: Runs
) -> dict[str, tuple[Timing, Timing]]:
    """``benchmarks.measure.time_interleaved`` with CPU time beside wall time:
    ``(wall, cpu)`` of every action, timed in turns round by round."""
    for _ in range(runs.warmup):
        for prepare, action in actions.values():
            prepare()
            action()
    wall: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    first = next(iter(actions))
    while len(wall[first]) < runs.most:
        for name, (prepare, action) in actions.items():
            prepare()
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            action()
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
        spent = sum(sum(taken) for taken in wall.values())
        over_budget = runs.budget_seconds is not None and spent >= runs.budget_seconds
        if over_budget and len(wall[first]) >= runs.least:
            break
    return {name: (Timing(tuple(wall[name])), Timing(tuple(cpu[name]))) for name in actions}


def _compare(
    what: str,
    episode: Episode,
    theme: Theme,
    formats: Formats,
    runs: Runs,
    peer_name: str,
    peer: tuple[Callable[[], object], Callable[[], bytes]],
    ours_over_peer: bool,
    target: Target | None,
    headline: str = "",
) -> Row:
    exporter = formats.available["pdf"]
    labels = labels_for(episode.language)
    context = default_context(episode)

    def ours() -> bytes:
        return exporter.render(episode, theme, labels, context)

    ours_pdf, peer_pdf = ours(), peer[1]()
    timed = _interleaved({"ours": (_nothing, ours), "peer": peer}, runs)
    (mine, mine_cpu), (theirs, theirs_cpu) = timed["ours"], timed["peer"]
    value = (
        ratio(mine.median, theirs.median) if ours_over_peer else ratio(theirs.median, mine.median)
    )
    return Row(
        GROUP,
        what,
        mine.median,
        peer=theirs.median,
        peer_name=peer_name,
        ratio=value,
        ratio_of=f"ours / {peer_name}" if ours_over_peer else f"{peer_name} / ours",
        target=target,
        extra={
            "size_bytes": len(ours_pdf),
            f"{peer_name}_size_bytes": len(peer_pdf),
            "ours": spread_text(mine.samples),
            peer_name: spread_text(theirs.samples),
            "ours_cpu": spread_text(mine_cpu.samples),
            f"{peer_name}_cpu": spread_text(theirs_cpu.samples),
            "cpu_ratio": round(
                mine_cpu.median / theirs_cpu.median
                if ours_over_peer
                else theirs_cpu.median / mine_cpu.median,
                3,
            ),
        },
        samples={
            "ours": list(mine.samples),
            peer_name: list(theirs.samples),
            "ours_cpu": list(mine_cpu.samples),
            f"{peer_name}_cpu": list(theirs_cpu.samples),
        },
        headline=headline,
    )


def _typst_row(what: str, episode: Episode, theme: Theme, formats: Formats, runs: Runs) -> Row:
    if (reason := typst_available()) is not None:
        return Row(
            GROUP, what, None, peer_name="typst", target=TYPST_TARGET, note=reason, unavailable=True
        )
    peer = TypstPeer()
    progress(f"pdf: {what}")
    prepare, compile_ = peer.rounds(episode, theme, labels_for(episode.language))
    headline = f"PDF / Typst, {what.removeprefix('pdf vs Typst: ')}"
    peer_runs = (prepare, compile_)
    return _compare(
        what, episode, theme, formats, runs, "typst", peer_runs, True, TYPST_TARGET, headline
    )


def _weasyprint_row(
    what: str, episode: Episode, theme: Theme, formats: Formats, runs: Runs, target: Target | None
) -> Row:
    markdown = formats.available.get("md")
    if (reason := peers.weasyprint_available()) is not None or markdown is None:
        why = reason or "the md format is not available"
        return Row(
            GROUP, what, None, peer_name="weasyprint", target=target, note=why, unavailable=True
        )
    progress(f"pdf: {what}")
    labels = labels_for(episode.language)
    text = markdown.render(episode, theme, labels, default_context(episode)).decode("utf-8")
    render = peers.WeasyPrintPeer().renderer(peers.markdown_to_html(text))
    return _compare(
        what, episode, theme, formats, runs, "weasyprint", (_nothing, render), False, target
    )


def _tagging_row(what: str, episode: Episode, theme: Theme, runs: Runs) -> Row:
    """CPU time of our tagged PDF over the same render without its structure tree."""
    from exporters.pdf.document import render_pdf

    progress(f"pdf: {what}")
    labels, context = labels_for(episode.language), default_context(episode)

    def tagged() -> bytes:
        return render_pdf(episode, theme, labels, context)

    def untagged() -> bytes:
        return render_pdf(episode, theme, labels, context, tagged=False)

    sizes = len(tagged()), len(untagged())
    timed = _interleaved({"tagged": (_nothing, tagged), "untagged": (_nothing, untagged)}, runs)
    (wall, cpu), (plain_wall, plain_cpu) = timed["tagged"], timed["untagged"]
    return Row(
        GROUP,
        what,
        cpu.median,
        peer=plain_cpu.median,
        peer_name="untagged",
        ratio=ratio(cpu.median, plain_cpu.median),
        ratio_of="tagged / untagged, CPU time",
        target=TAGGING_TARGET,
        extra={
            "size_bytes": sizes[0],
            "untagged_size_bytes": sizes[1],
            "tagged_cpu": spread_text(cpu.samples),
            "untagged_cpu": spread_text(plain_cpu.samples),
            "tagged_wall": spread_text(wall.samples),
            "untagged_wall": spread_text(plain_wall.samples),
        },
        samples={
            "tagged_cpu": list(cpu.samples),
            "untagged_cpu": list(plain_cpu.samples),
            "tagged": list(wall.samples),
            "untagged": list(plain_wall.samples),
        },
        headline=f"PDF tagging cost, {what.removeprefix('pdf tagged vs untagged: ')}",
    )


def _large(items: int) -> Episode:
    data = episode_bytes(generate_episode(SEED + items, scaled_shape(items)))
    return episode_from_data("synthetic", parse_json("synthetic", data))


def pdf_rows(plan: Plan, formats: Formats) -> list[Row]:
    if "pdf" in formats.missing:
        why = f"not available: {short_reason(formats.missing['pdf'])}"
        return [Row(GROUP, "pdf vs Typst", None, target=TYPST_TARGET, note=why, unavailable=True)]
    theme = load_theme("default")
    seed, large = load_episode(BUNDLED_EPISODE), _large(plan.large_items)
    big = f"large episode ({plan.large_items} segments, predictions, facts)"
    return [
        _tagging_row("pdf tagged vs untagged: bundled episode", seed, theme, plan.bundled),
        _typst_row("pdf vs Typst: bundled episode", seed, theme, formats, plan.bundled),
        _typst_row(f"pdf vs Typst: {big}", large, theme, formats, plan.large),
        _weasyprint_row(
            "pdf vs WeasyPrint (HTML from the md export): bundled episode",
            seed,
            theme,
            formats,
            plan.bundled,
            WEASYPRINT_TARGET,
        ),
        _weasyprint_row(
            f"pdf vs WeasyPrint: {big}", large, theme, formats, plan.weasyprint_large, None
        ),
    ]
