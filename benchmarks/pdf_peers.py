"""Our PDF beside Typst and WeasyPrint, in one running process, timed in turns.

Typst (Rust, through the ``typst`` package) gets a document with the same text,
tables and faces (``benchmarks.typst_peer``), a distinct one each round;
WeasyPrint gets the HTML of our Markdown export. Ours and the peer alternate run
by run, so the load of a shared machine falls on both alike, and each row gives
the medians with the range of every run.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks import peers
from benchmarks.inprocess import Formats, short_reason
from benchmarks.measure import Timing, progress, spread_text, time_interleaved
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


def _nothing() -> None:
    return None


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
    timed: dict[str, Timing] = time_interleaved({"ours": (_nothing, ours), "peer": peer}, runs)
    mine, theirs = timed["ours"], timed["peer"]
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
        },
        samples={"ours": list(mine.samples), peer_name: list(theirs.samples)},
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
