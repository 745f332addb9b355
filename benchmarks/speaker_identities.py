"""Speaker identities on the PolNeAR train articles: how many, how clean, and whether the
30 most quoted people each landed on one identity.

    python benchmarks/speaker_identities.py [--articles 300|840] [--fresh]

Reads the articles from ../shared/eval/polnear/train/text (never copied); the ingested
library is cached in /tmp, keyed by the attribution code, so a second run only rebuilds
the derived catalog (``doctor --repair``) and the identities. Prints:
- identities, distinct speaker names, names per identity, identities by kind;
- identities whose name is lowercase or clause-like (all, and among named ones);
- first names alone ("Hillary") kept apart from a person named in full with that first name;
- whether "A"/"Q" are ever a named speaker;
- the 30 most quoted people with their aliases, checked against the table below (checked
  by hand once on the 300-article sample) and against the rule that no other identity has
  the same person key or is a bare surname that the person dominates.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from saidwho.attribution.names import analyse, is_clause_like, is_lowercase
from saidwho.store import Library, SpeakerSummary, doctor

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/eval/polnear/train/text")

# Hand-checked once (on the 300 and the 840): person -> variants that must be its aliases.
EXPECTED: dict[str, tuple[str, ...]] = {
    "Donald Trump": ("Trump", "Donald J. Trump", "Mr. Trump"),
    "Hillary Clinton": ("Clinton", "Hillary Rodham Clinton", "Mrs. Clinton"),
    "Bernie Sanders": ("Sanders", "Mr. Sanders"),
    "Barack Obama": ("Obama", "Mr. Obama", "President Obama"),
    "Ted Cruz": ("Cruz", "Mr. Cruz"),
    "Marco Rubio": ("Rubio", "Mr. Rubio"),
    "Paul Ryan": ("Paul D. Ryan", "Ryan"),
    "James Comey": ("James B. Comey", "Comey"),
    "Harry Reid": ("Harry M. Reid", "Reid"),
    "Mike Pence": ("Pence", "Gov. Mike Pence"),
}
# Must stay apart from everyone above (a surname shared, a different person).
APART = ("Bill Clinton", "Eric Trump")


def attribution_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "attribution").rglob("*")):
        if path.suffix in {".py", ".txt"} and "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sample(n: int) -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    if n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def library_for(paths: list[Path], fresh: bool) -> Library:
    cache = Path("/tmp") / f"saidwho-speaker-bench-{len(paths)}-{attribution_fingerprint()}"
    if fresh and cache.exists():
        shutil.rmtree(cache)
    if not (cache / "done").exists():
        from saidwho.attribution import load_pipeline
        from saidwho.ingest import ingest_paths

        shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        lib = Library(cache / "lib")
        events = ingest_paths(lib, paths, load_pipeline(None))
        failed = [e for e in events if e.error]
        print(
            f"ingested {len(paths) - len(failed)} articles in {time.perf_counter() - started:.0f} s"
        )
        (cache / "done").write_text("ok\n")
    else:
        # the catalog is derived: rebuild it with this code's summary (speaker context)
        doctor(cache / "lib", repair=True)
    return Library(cache / "lib")


def person_problems(person: SpeakerSummary, speakers: list[SpeakerSummary]) -> list[str]:
    info = analyse(person.speaker)
    problems = []
    if person.speaker in EXPECTED:
        # a variant found under another identity; one never written as a speaker name at
        # all (attribution gave the full name) is no split
        elsewhere = {n for s in speakers if s is not person for n in (s.speaker, *s.aliases)}
        missing = [
            v for v in EXPECTED[person.speaker] if v not in person.aliases and v in elsewhere
        ]
        problems += [f"variant {v!r} is another identity's" for v in missing]
    full_same_last = Counter(
        {
            s.speaker: s.quotes
            for s in speakers
            if s.kind == "person"
            and analyse(s.speaker).first
            and analyse(s.speaker).last == info.last
        }
    )
    runner_up = max((n for name, n in full_same_last.items() if name != person.speaker), default=0)
    for other in speakers:
        if other is person or other.kind != "person":
            continue
        o = analyse(other.speaker)
        if o.key == info.key:
            problems.append(f"also {other.speaker!r} ({other.quotes})")
        elif o.surname_only and o.last == info.last and person.quotes >= 5 * max(runner_up, 1):
            problems.append(f"bare surname {other.speaker!r} ({other.quotes}) apart")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="ingest again, ignore the cache")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    paths = sample(args.articles)
    lib = library_for(paths, args.fresh)
    started = time.perf_counter()
    speakers = lib.speakers()
    took = time.perf_counter() - started
    names: set[str] = set()
    for entry in lib.articles():
        names.update(n.casefold() for n in entry.speakers)
    spellings = sum(1 + len(s.aliases) for s in speakers)
    kinds = Counter(s.kind for s in speakers)
    named = [s for s in speakers if s.kind in ("person", "organization")]
    print(f"articles: {len(lib.articles())}  identities: {len(speakers)} (built in {took:.2f} s)")
    print(f"names seen: {spellings}  names per identity: {spellings / max(len(speakers), 1):.2f}")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    lower = [s for s in speakers if is_lowercase(s.speaker)]
    clause = [s for s in speakers if is_clause_like(s.speaker)]
    named_lower = sum(is_lowercase(s.speaker) for s in named)
    named_clause = sum(is_clause_like(s.speaker) for s in named)
    print(f"lowercase names: {len(lower)} identities (named: {named_lower})")
    print(f"clause-like names: {len(clause)} identities (named: {named_clause})")
    for s in [s for s in named if is_lowercase(s.speaker) or is_clause_like(s.speaker)][:10]:
        print(f"  named but odd: {s.speaker!r} ({s.kind}, {s.quotes})")
    # a first name alone kept apart from a person of that first name named in full
    full = [s for s in speakers if s.kind == "person" and " " in s.speaker]
    firsts = {analyse(s.speaker).first.casefold() for s in full}
    split = [
        s
        for s in speakers
        if s.kind == "person" and " " not in s.speaker and s.speaker.casefold() in firsts
    ]
    print(f"first names alone beside a full name: {len(split)}")
    for s in split[:10]:
        print(f"  {s.speaker!r} ({s.quotes} quotes)")
    labels = [s for s in speakers if s.speaker in ("A", "Q") and s.kind != "unnamed"]
    print(f'"A"/"Q" as a named speaker: {len(labels)}')
    people = [s for s in speakers if s.kind == "person"][:30]
    ok = 0
    print("\n30 most quoted people:")
    for person in people:
        problems = person_problems(person, speakers)
        ok += not problems
        aliases = ", ".join(person.aliases[:5]) + (" ..." if len(person.aliases) > 5 else "")
        mark = "ok " if not problems else "NO "
        print(f"  {mark}{person.speaker:<24} {person.quotes:>5}  [{aliases}]")
        for problem in problems:
            print(f"       {problem}")
    print(f"\none identity each: {ok}/{len(people)}")
    names_now = {s.speaker for s in speakers}
    print("kept apart: " + ", ".join(f"{n} {'yes' if n in names_now else 'NO'}" for n in APART))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
