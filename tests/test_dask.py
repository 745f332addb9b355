"""`saidwho extract --dask`: the same map on a Dask cluster of 2 worker processes (started
here) writes shards that, joined in order, equal the single-process output."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# find_spec, not importorskip: every xdist worker collects this file, and importing
# distributed costs each of them ~0.5 s of CPU for one test
pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("distributed") is None,
        reason="dask[distributed] is not installed (pip install 'saidwho[dask]')",
    ),
    pytest.mark.slow,
]

TEXTS = [
    "Bridge vote\n\n“We will rebuild the bridge,” the mayor said. The council agreed.\n",
    "Port strike\n\nDock workers walked out on Friday, the union said.\n",
    "Quiet day\n\nNothing happened in the valley.\n",
]


def saidwho(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saidwho", *argv],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "SAIDWHO_DB"},
    )


def test_dask_cluster_output_equals_one_process(tmp_path, seed_text):
    from distributed import LocalCluster

    from saidwho.dask_extract import loaded_models

    records = [{"id": "seed", "text": seed_text}]
    records += [{"id": f"t{i}", "text": t} for i in range(30) for t in TEXTS]
    records.insert(5, {"id": "broken"})  # a bad record stays in its place
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    single = tmp_path / "single.jsonl"
    done = saidwho("extract", str(source), "-o", str(single))
    assert done.returncode == 1 and "broken" in done.stderr  # the bad record, reported
    expected = single.read_text(encoding="utf-8").splitlines()
    assert len(expected) == len(records)

    outdir = tmp_path / "shards"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        # small partitions: several per worker, so each worker reuses its loaded model
        done = saidwho(
            "extract", "--dask", cluster.scheduler_address, str(source), "-o", str(outdir),
            "--partition-mb", "0.002",
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        with cluster.get_client() as client:
            used = client.run(loaded_models)
    assert sum(1 for loaded in used.values() if loaded) >= 1  # workers kept their pipeline
    shards = sorted(outdir.glob("part-*.jsonl"))
    assert len(shards) > 2
    got = [line for shard in shards for line in shard.read_text(encoding="utf-8").splitlines()]
    assert got == expected
    assert f"{len(records)} records" in done.stderr and "1 errors" in done.stderr
    assert Path(shards[0]).name == "part-00000.jsonl"
