"""`saidwho extract --dask SCHEDULER`: the same pure map as `saidwho extract`, on a Dask
cluster (optional extra ``saidwho[dask]``).

The input JSON Lines file is read in partitions of whole lines (``dask.bag.read_text``);
each partition goes through ``extract_lines`` on a worker, whose process loads the spaCy
pipeline once (a module-level cache: every later partition on that worker reuses it); each
partition's output is one JSON Lines shard, ``part-00000.jsonl``, ... in input order, so
concatenating the shards gives exactly the single-process output.

The workers need saidwho and the model installed, and read the input path themselves: on a
real cluster put the input on storage every worker sees (a shared disk, or an ``s3://``
URL when ``s3fs`` is installed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from saidwho.attribution import load_pipeline
from saidwho.extract_stream import extract_lines, trim_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

# one pipeline per model per worker process, loaded by the first partition that needs it
_PIPELINES: dict[str, Language] = {}


def worker_pipeline(model: str) -> Language:
    nlp = _PIPELINES.get(model)
    if nlp is None:
        nlp = _PIPELINES[model] = trim_pipeline(load_pipeline(model))
    return nlp


def loaded_models() -> tuple[str, ...]:
    """The models this process has loaded (ask each worker: ``client.run(loaded_models)``)."""
    return tuple(_PIPELINES)


def extract_partition(lines: Iterable[str], model: str) -> list[str]:
    """One partition of input lines -> its output lines (the function the cluster maps)."""
    return list(extract_lines(worker_pipeline(model), lines))


@dataclass
class DaskReport:
    records: int = 0
    quotes: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    shards: list[str] = field(default_factory=list)


def extract_on_dask(
    scheduler: str,
    input_path: str,
    outdir: str,
    *,
    model: str,
    partition_bytes: int = 8_000_000,
) -> DaskReport:
    """Run extraction of ``input_path`` on the cluster at ``scheduler``; shards go to
    ``outdir``. Returns counts read back from the shards."""
    import dask.bag as db
    from distributed import Client

    Path(outdir).mkdir(parents=True, exist_ok=True)
    with Client(scheduler) as client:  # noqa: F841 - the default client for compute()
        bag = db.read_text(input_path, blocksize=partition_bytes, encoding="utf-8")
        shards = bag.map_partitions(extract_partition, model=model).to_textfiles(
            str(Path(outdir) / "part-*.jsonl"),
            name_function=lambda i: f"{i:05d}",
            encoding="utf-8",
            last_endline=True,
        )
    report = DaskReport(shards=sorted(str(s) for s in shards))
    for shard in report.shards:
        with open(shard, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                report.records += 1
                if "error" in record:
                    subject = record.get("path") or record.get("id") or "record"
                    report.errors.append((f"{Path(shard).name}: {subject}", record["error"]))
                else:
                    report.quotes += len(record["quotes"])
    return report
