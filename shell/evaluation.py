"""Measure quote extraction against a brat-annotated attribution corpus (PolNeAR layout).

Layout: ``text/NAME.txt`` plus ``attributions/NAME_<annotator>.ann`` (the first annotator
file per text, sorted, is gold). Gold items are Attribution events (``E`` lines) with a
Content argument; contents may be discontiguous (``start end;start end``). An optional
attribute line ``A<n>\tAct E<k> speech`` (on the event or on its Attribution trigger) marks
the item's act; a corpus without them counts every item under any ``act`` filter.

A predicted quote matches a gold item when it covers at least ``threshold`` of the gold
content's characters; matching is greedy one-to-one, best coverage first.

Two views:
- statements (default): a prediction is its whole ``[start, end)``; a gold item is its
  whole content, however many fragments;
- ``pieces``: every segment of a prediction is an item, and every fragment of a gold
  content is an item (a quote joined across narration, or split wrongly, costs here).
``act`` keeps the predictions a reader would take for that act (and gold items of that act,
if marked): ``speech`` keeps every prediction not labelled thought or evidence and shown
under a speaker (an ``other`` item with a speaker is a claim the reader makes, so it
counts); quoted words with nobody to say them are shown apart as unattributed and are
not counted. Any other act keeps only predictions of that act.

Reliability: every scored prediction is *right* when it matches a gold item at the lowest
threshold and, where the gold names a source, has the right speaker. Its ``confidence``
claims the probability of that; the report bins the claims (``RELIABILITY_BINS``) and gives
the share right per bin and the expected calibration error (ECE: the items-weighted mean
gap between claimed and observed).
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from saidwho.attribution import ACTS, Quote, extract_quotes
from saidwho.core.marks import DOUBLE, OPEN_SINGLE

THRESHOLDS: tuple[float, ...] = (0.3, 0.8)
# confidence bins of the reliability table: [lower, upper)
RELIABILITY_BINS: tuple[float, ...] = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
TRUSTED = 0.8  # the band the reader shows as trusted
# a gold content with any of these is a direct quote (apostrophes are not marks)
QUOTE_MARKS = frozenset(DOUBLE + OPEN_SINGLE)
_CAP_WORD = re.compile(r"[^\W\d_][\w’'.-]*")

Extractor = Callable[[Any], Sequence[Quote]]


@dataclass(frozen=True)
class GoldItem:
    content: tuple[tuple[int, int], ...]  # fragments
    source: tuple[tuple[int, int], ...] = ()
    source_text: str = ""
    content_text: str = ""
    act: str | None = None  # speech|thought|evidence|other when the corpus marks it
    # the annotators' name for the source ("he" -> "Damon Green"), where the corpus gives one
    reference: str = ""

    @property
    def has_mark(self) -> bool:
        return "''" in self.content_text or any(ch in QUOTE_MARKS for ch in self.content_text)

    def chars(self) -> int:
        return sum(e - s for s, e in self.content)


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    items: tuple[GoldItem, ...]


@dataclass
class Metrics:
    threshold: float
    matched: int
    precision: float
    recall: float
    f1: float
    direct_recall: float
    speaker_accuracy: float
    speaker_items: int
    # the canonical speaker against the annotators' reference name (pronouns resolved)
    resolved_accuracy: float = 0.0
    resolved_items: int = 0


@dataclass
class Bin:
    low: float
    high: float
    items: int
    right: int
    mean_confidence: float

    @property
    def share_right(self) -> float:
        return _ratio(self.right, self.items)


@dataclass
class Reliability:
    bins: list[Bin]
    ece: float
    trusted_items: int  # confidence >= TRUSTED
    trusted_right: int
    right: int  # right items in all bins

    @property
    def trusted_precision(self) -> float:
        return _ratio(self.trusted_right, self.trusted_items)

    @property
    def trusted_share_of_right(self) -> float:
        return _ratio(self.trusted_right, self.right)


@dataclass(frozen=True)
class Judged:
    """One scored prediction: is it right (words and speaker), and why not."""

    doc: str
    quote: Quote
    right: bool
    error: str | None  # "no gold item" | "wrong speaker" | None


@dataclass
class EvalReport:
    corpus: str
    docs: int
    gold: int
    gold_direct: int
    predicted: int
    metrics: dict[str, Metrics] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    parse_seconds: float = 0.0
    extract_seconds: float = 0.0
    name: str = "saidwho"
    pieces: bool = False
    act: str | None = None
    sample: int | None = None
    seed: int = 0
    reliability: Reliability | None = None
    other_with_speaker: int = 0  # kept predictions of act other shown under a speaker

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["metrics"] = {k: asdict(v) for k, v in self.metrics.items()}
        if self.reliability is not None:
            rel = self.reliability
            data["reliability"] = {
                "ece": rel.ece,
                "trusted_threshold": TRUSTED,
                "trusted_items": rel.trusted_items,
                "trusted_precision": round(rel.trusted_precision, 4),
                "trusted_share_of_right": round(rel.trusted_share_of_right, 4),
                "bins": [{**asdict(b), "share_right": round(b.share_right, 4)} for b in rel.bins],
            }
        return data

    def format_table(self) -> str:
        return format_table([self])


def format_table(reports: Sequence[EvalReport]) -> str:
    """Side-by-side table: one row per extractor and threshold."""
    head = (
        f"{'extractor':<12} {'cover':>5} {'P':>6} {'R':>6} {'F1':>6} {'directR':>7} "
        f"{'spkAcc':>6} {'match':>5} {'pred':>5} {'gold':>5}"
    )
    lines = [head, "-" * len(head)]
    for rep in reports:
        for key, m in rep.metrics.items():
            lines.append(
                f"{rep.name:<12} {key:>5} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} "
                f"{m.direct_recall:7.3f} {m.speaker_accuracy:6.3f} {m.matched:5d} "
                f"{rep.predicted:5d} {rep.gold:5d}"
            )
    for rep in reports:
        for key, m in rep.metrics.items():
            if m.resolved_items:
                lines.append(
                    f"{rep.name} {key}: speaker resolved as the annotators did (their "
                    f"reference names, pronouns included): {m.resolved_accuracy:.3f} of "
                    f"{m.resolved_items}"
                )
    rep0 = reports[0] if reports else None
    if rep0 is not None and rep0.reliability is not None:
        lines.append(format_reliability(rep0.reliability))
        lines.append(f"other-act items shown under a speaker: {rep0.other_with_speaker}")
    if rep0 is not None:
        view = "pieces" if rep0.pieces else "statements"
        if rep0.act:
            view += f", act {rep0.act} only"
        if rep0.sample is not None:
            view += f", sample {rep0.sample} seed {rep0.seed}"
        lines.append(
            f"corpus {rep0.corpus}: {rep0.docs} docs, {rep0.gold} gold items "
            f"({rep0.gold_direct} with quote marks); {view}"
        )
        for rep in reports:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(rep.by_kind.items()))
            lines.append(
                f"{rep.name}: parse {rep.parse_seconds:.2f}s, extract {rep.extract_seconds:.2f}s"
                + (f"; {kinds}" if kinds else "")
            )
    return "\n".join(lines)


def format_reliability(rel: Reliability) -> str:
    lines = ["confidence    items  right  claimed  observed"]
    for b in rel.bins:
        if b.items:
            lines.append(
                f"[{b.low:.1f}, {min(b.high, 1.0):.1f})  {b.items:6d} {b.right:6d}  "
                f"{b.mean_confidence:7.3f}  {b.share_right:8.3f}"
            )
    lines.append(
        f"ECE {rel.ece:.3f}; confidence >= {TRUSTED}: {rel.trusted_items} items, "
        f"{rel.trusted_precision:.3f} right, {rel.trusted_share_of_right:.3f} of all right items"
    )
    return "\n".join(lines)


# --- reading brat -----------------------------------------------------------------


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _fragments(spec: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in spec.split(";"):
        s, e = part.split()
        out.append((int(s), int(e)))
    return tuple(out)


def parse_ann(ann: str, text: str) -> tuple[GoldItem, ...]:
    """Gold items from a brat ``.ann``: Attribution events with a Content argument."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events: list[list[tuple[str, str]]] = []
    event_ids: list[str] = []
    acts: dict[str, str] = {}  # event or trigger id -> act
    references: dict[str, str] = {}  # span id -> the annotators' name for it
    for line in ann.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        ident, body = parts[0], parts[1]
        if ident.startswith("T"):
            label, _, offsets = body.partition(" ")
            try:
                spans[ident] = _fragments(offsets)
            except ValueError:
                continue
        elif ident.startswith("E"):
            args = [
                (role, ref) for role, _, ref in (a.partition(":") for a in body.split() if ":" in a)
            ]
            if args and args[0][0].startswith("Attribution"):
                events.append(args)
                event_ids.append(ident)
        elif ident.startswith("#") and len(parts) >= 3 and parts[2].startswith("reference:"):
            target = body.split()[-1]  # "AnnotatorNotes T2"
            references[target] = parts[2].removeprefix("reference:").strip()
        elif ident.startswith("A"):
            fields = body.split()
            if len(fields) == 3 and fields[0] == "Act":
                acts[fields[1]] = fields[2]
    items = []
    for ident, args in zip(event_ids, events, strict=True):
        content: list[tuple[int, int]] = []
        source: list[tuple[int, int]] = []
        named: list[str] = []
        for role, ref in args[1:]:
            frags = spans.get(ref, ())
            if role.startswith("Content"):
                content.extend(frags)
            elif role.startswith("Source"):
                source.extend(frags)
                if ref in references:
                    named.append(references[ref])
        if not content:
            continue
        content.sort()
        items.append(
            GoldItem(
                tuple(content),
                tuple(source),
                " ".join(text[s:e] for s, e in source),
                " ".join(text[s:e] for s, e in content),
                acts.get(ident) or acts.get(args[0][1]),
                " ".join(named),
            )
        )
    return tuple(items)


def gold_pieces(item: GoldItem, text: str) -> list[GoldItem]:
    """Each fragment of a gold content as an item of its own."""
    return [
        replace(item, content=((s, e),), content_text=text[s:e])
        for s, e in item.content
        if e > s and text[s:e].strip()
    ]


def predicted_pieces(quote: Quote) -> list[Quote]:
    """Each segment of a prediction as a quote of its own (its mention and cue when it has
    them, else the statement's). A partial quote is one piece over its whole extent: its
    segments are the verbatim words inside one reported statement, not separate quotes."""
    if quote.kind == "partial":
        return [replace(quote, segments=())]
    out = []
    for seg in quote.segments:
        own = seg.speaker_start is not None
        out.append(
            replace(
                quote,
                start=seg.start,
                end=seg.end,
                speaker_start=seg.speaker_start if own else quote.speaker_start,
                speaker_end=seg.speaker_end if own else quote.speaker_end,
                segments=(),
            )
        )
    return out


def select(
    docs: Sequence[GoldDoc],
    predictions: Sequence[Sequence[Quote]],
    *,
    pieces: bool = False,
    act: str | None = None,
) -> tuple[list[GoldDoc], list[list[Quote]]]:
    """The gold and predicted items one view scores (see the module docstring)."""
    marked = any(item.act for doc in docs for item in doc.items)
    gold_out: list[GoldDoc] = []
    pred_out: list[list[Quote]] = []
    for doc, quotes in zip(docs, predictions, strict=True):
        items = [g for g in doc.items if act is None or not marked or g.act == act]
        if pieces:
            items = [p for g in items for p in gold_pieces(g, doc.text)]
        kept = [q for q in quotes if keeps(act, q)]
        if pieces:
            kept = sorted((p for q in kept for p in predicted_pieces(q)), key=_order)
        gold_out.append(GoldDoc(doc.name, doc.text, tuple(items)))
        pred_out.append(list(kept))
    return gold_out, pred_out


def keeps(act: str | None, quote: Quote) -> bool:
    """Whether the view of ``act`` scores this prediction (see the module docstring)."""
    if act is None:
        return True
    if act == "speech":
        if quote.act in ("thought", "evidence"):
            return False
        return quote.act == "speech" or quote.speaker is not None
    return quote.act == act


def _order(q: Quote) -> tuple[int, int]:
    return q.start, q.end


def load_corpus(corpus_dir: Path, sample: int | None = None, seed: int = 0) -> list[GoldDoc]:
    """Every text of the corpus, or a reproducible random ``sample`` of them (the same
    ``sample`` and ``seed`` always pick the same texts, in name order)."""
    corpus_dir = Path(corpus_dir)
    anns = sorted((corpus_dir / "attributions").glob("*.ann"))
    texts = sorted((corpus_dir / "text").glob("*.txt"))
    if sample is not None and sample < len(texts):
        texts = sorted(random.Random(seed).sample(texts, sample))
    docs = []
    for txt in texts:
        name = txt.stem
        mine = [a for a in anns if a.stem.startswith(name + "_")]
        text = _read(txt)
        items = parse_ann(_read(mine[0]), text) if mine else ()
        docs.append(GoldDoc(name, text, items))
    return docs


# --- scoring ----------------------------------------------------------------------


def coverage(quote: Quote, item: GoldItem) -> float:
    total = item.chars()
    if total <= 0:
        return 0.0
    hit = sum(max(0, min(quote.end, e) - max(quote.start, s)) for s, e in item.content)
    return hit / total


def match(
    quotes: Sequence[Quote], items: Sequence[GoldItem], threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching, best coverage first: (quote index, item index, cover)."""
    pairs = []
    for qi, q in enumerate(quotes):
        for gi, g in enumerate(items):
            if q.end <= g.content[0][0] or q.start >= g.content[-1][1]:
                continue
            cov = coverage(q, g)
            if cov >= threshold:
                pairs.append((cov, qi, gi))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_g: set[int] = set()
    out = []
    for cov, qi, gi in pairs:
        if qi in used_q or gi in used_g:
            continue
        used_q.add(qi)
        used_g.add(gi)
        out.append((qi, gi, cov))
    return out


def speaker_right(quote: Quote, item: GoldItem) -> bool:
    """The mention overlaps the gold source, or the speaker's name shares a capitalised
    word with the source's text or with the person the annotators resolved it to (GGT's
    reference notes: its Source span sometimes marks the same pronoun one sentence off)."""
    if quote.speaker_start is not None and quote.speaker_end is not None:
        for s, e in item.source:
            if quote.speaker_start < e and s < quote.speaker_end:
                return True
    if quote.speaker:
        mine = {w.lower() for w in _CAP_WORD.findall(quote.speaker) if w[0].isupper()}
        theirs = {w.lower() for w in _CAP_WORD.findall(item.source_text) if w[0].isupper()}
        return bool(mine & theirs) or resolved_right(quote, item)
    return False


def resolved_right(quote: Quote, item: GoldItem) -> bool:
    """The canonical speaker names the person the annotators resolved the source to."""
    mine = {w.lower() for w in _CAP_WORD.findall(quote.speaker or "") if w[0].isupper()}
    theirs = {w.lower() for w in _CAP_WORD.findall(item.reference) if w[0].isupper()}
    return bool(mine & theirs)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score(
    docs: Sequence[GoldDoc],
    predictions: Sequence[Sequence[Quote]],
    thresholds: Iterable[float] = THRESHOLDS,
) -> dict[str, Metrics]:
    n_pred = sum(len(p) for p in predictions)
    n_gold = sum(len(d.items) for d in docs)
    n_direct = sum(g.has_mark for d in docs for g in d.items)
    out: dict[str, Metrics] = {}
    for th in thresholds:
        matched = direct_hit = spk_n = spk_ok = ref_n = ref_ok = 0
        for doc, quotes in zip(docs, predictions, strict=True):
            for qi, gi, _ in match(quotes, doc.items, th):
                matched += 1
                item = doc.items[gi]
                direct_hit += item.has_mark
                if item.source:
                    spk_n += 1
                    spk_ok += speaker_right(quotes[qi], item)
                if item.reference:
                    ref_n += 1
                    ref_ok += resolved_right(quotes[qi], item)
        p, r = _ratio(matched, n_pred), _ratio(matched, n_gold)
        out[f"{round(th * 100)}%"] = Metrics(
            threshold=th,
            matched=matched,
            precision=round(p, 4),
            recall=round(r, 4),
            f1=round(2 * p * r / (p + r) if p + r else 0.0, 4),
            direct_recall=round(_ratio(direct_hit, n_direct), 4),
            speaker_accuracy=round(_ratio(spk_ok, spk_n), 4),
            speaker_items=spk_n,
            resolved_accuracy=round(_ratio(ref_ok, ref_n), 4),
            resolved_items=ref_n,
        )
    return out


def judge(
    docs: Sequence[GoldDoc], predictions: Sequence[Sequence[Quote]], threshold: float
) -> list[Judged]:
    """Every prediction, right or not (matched at ``threshold``, right speaker where the
    gold names a source)."""
    out: list[Judged] = []
    for doc, quotes in zip(docs, predictions, strict=True):
        matched = {qi: gi for qi, gi, _ in match(quotes, doc.items, threshold)}
        for qi, q in enumerate(quotes):
            gi = matched.get(qi)
            if gi is None:
                out.append(Judged(doc.name, q, False, "no gold item"))
                continue
            item = doc.items[gi]
            ok = not item.source or speaker_right(q, item)
            out.append(Judged(doc.name, q, ok, None if ok else "wrong speaker"))
    return out


def reliability(judged: Sequence[Judged], bins: Sequence[float] = RELIABILITY_BINS) -> Reliability:
    out: list[Bin] = []
    total = len(judged)
    ece = 0.0
    for low, high in zip(bins, bins[1:], strict=False):
        inside = [j for j in judged if low <= j.quote.confidence < high]
        right = sum(j.right for j in inside)
        mean = sum(j.quote.confidence for j in inside) / len(inside) if inside else 0.0
        if inside:
            ece += len(inside) / total * abs(mean - right / len(inside))
        out.append(Bin(low, high, len(inside), right, round(mean, 4)))
    trusted = [j for j in judged if j.quote.confidence >= TRUSTED]
    return Reliability(
        bins=out,
        ece=round(ece, 4),
        trusted_items=len(trusted),
        trusted_right=sum(j.right for j in trusted),
        right=sum(j.right for j in judged),
    )


def evaluate(
    corpus_dir: Path,
    nlp: Any,
    extractor: Extractor = extract_quotes,
    n_process: int = 1,
    *,
    docs: Sequence[Any] | None = None,
    name: str = "saidwho",
    sample: int | None = None,
    seed: int = 0,
    pieces: bool = False,
    act: str | None = None,
    errors: Callable[[GoldDoc, Judged], None] | None = None,
) -> EvalReport:
    """Parse every text once (or use the given parsed ``docs``), extract, and score.

    ``sample``/``seed``: a reproducible random sample of the corpus's texts; ``pieces`` and
    ``act``: the view scored (see the module docstring); ``errors`` is called with every
    prediction that is not right."""
    corpus = load_corpus(Path(corpus_dir), sample, seed)
    t0 = time.perf_counter()
    if docs is None:
        docs = list(nlp.pipe((d.text for d in corpus), n_process=n_process, batch_size=16))
    t1 = time.perf_counter()
    predictions = [sorted(extractor(doc), key=lambda q: (q.start, q.end)) for doc in docs]
    t2 = time.perf_counter()
    corpus, predictions = select(corpus, predictions, pieces=pieces, act=act)
    judged = judge(corpus, predictions, min(THRESHOLDS))
    if errors is not None:
        by_name = {d.name: d for d in corpus}
        for j in judged:
            if not j.right:
                errors(by_name[j.doc], j)
    by_kind: dict[str, int] = {}
    for quotes in predictions:
        for q in quotes:
            by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
    return EvalReport(
        corpus=str(corpus_dir),
        docs=len(corpus),
        gold=sum(len(d.items) for d in corpus),
        gold_direct=sum(g.has_mark for d in corpus for g in d.items),
        predicted=sum(len(p) for p in predictions),
        metrics=score(corpus, predictions),
        by_kind=by_kind,
        parse_seconds=round(t1 - t0, 3),
        extract_seconds=round(t2 - t1, 3),
        name=name,
        pieces=pieces,
        act=act,
        sample=sample,
        seed=seed,
        reliability=reliability(judged),
        other_with_speaker=sum(
            q.act == "other" and q.speaker is not None for p in predictions for q in p
        ),
    )


def error_record(doc: GoldDoc, judged: Judged) -> dict[str, Any]:
    """One line of ``--errors``: the prediction, why it is wrong, the gold items near it."""
    q = judged.quote
    near = [
        {"content": doc.text[g.content[0][0] : g.content[-1][1]][:300], "source": g.source_text}
        for g in doc.items
        if g.content[0][0] < q.end + 200 and g.content[-1][1] > q.start - 200
    ]
    return {
        "doc": doc.name,
        "error": judged.error,
        "kind": q.kind,
        "act": q.act,
        "confidence": q.confidence,
        "speaker": q.speaker,
        "mention": doc.text[q.speaker_start : q.speaker_end]
        if q.speaker_start is not None and q.speaker_end is not None
        else None,
        "cue": q.cue,
        "text": doc.text[q.start : q.end][:300],
        "sentence": doc.text[q.sentence_start : q.sentence_end][:400],
        "gold_near": near,
    }


def add_view_arguments(parser: Any) -> None:
    """``--sample N --seed S --pieces --act ACT``: shared by ``saidwho eval`` and ``main``."""
    parser.add_argument(
        "--sample", type=int, default=None, metavar="N", help="score a random sample of N texts"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed")
    parser.add_argument(
        "--pieces", action="store_true", help="score each segment / gold fragment as an item"
    )
    parser.add_argument(
        "--act",
        choices=ACTS,
        default=None,
        help="score this act only (speech: every item not thought or evidence shown "
        "under a speaker)",
    )
    parser.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every prediction that is not right to FILE (JSON Lines)",
    )


def evaluate_with_view(corpus_dir: Path, nlp: Any, args: Any, n_process: int = 1) -> EvalReport:
    """``evaluate`` with the view options ``add_view_arguments`` declared (``--errors``
    writes its JSON Lines file, atomically enough for a report: whole at the end)."""
    records: list[dict[str, Any]] = []
    report = evaluate(
        corpus_dir,
        nlp,
        n_process=n_process,
        sample=args.sample,
        seed=args.seed,
        pieces=args.pieces,
        act=args.act,
        errors=(lambda doc, j: records.append(error_record(doc, j))) if args.errors else None,
    )
    if args.errors:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        Path(args.errors).write_text(lines, encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from saidwho.attribution import load_pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model", default=None)
    add_view_arguments(parser)
    args = parser.parse_args(argv)
    report = evaluate_with_view(args.corpus_dir, load_pipeline(args.model), args)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.format_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
