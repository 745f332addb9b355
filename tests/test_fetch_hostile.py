"""Pages built to mislead (issue 25): redirects that say where they went and never lead
from a public page into this machine's network, and a page that lies about being UTF-16."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from saidwho.readers.fetch import Fetcher, FetchError, host_is_private

if TYPE_CHECKING:
    from tests.web_support import Site

pytest_plugins = ("tests.web_support",)


def public_site(host: str) -> bool:
    """The fetcher's notion of private hosts, with the test server (127.0.0.1) made public."""
    return host != "127.0.0.1" and host_is_private(host)


def test_a_public_page_cannot_redirect_into_the_local_network(site: Site, fast_limits) -> None:
    with Fetcher(is_private=public_site) as fetcher, pytest.raises(FetchError) as err:
        fetcher.read_article(site.url("/to-loopback"))
    assert (
        str(err.value) == "redirected from a public address to a private one (127.0.0.2), refused"
    )
    assert site.hits("/to-loopback") == 1


def test_a_redirect_says_where_it_went(site: Site, fast_limits) -> None:
    with Fetcher(is_private=public_site) as fetcher:
        article = fetcher.read_article(site.url("/moved"))
    assert article.warning == f"redirected to {site.url('/story-1.html')}"
    with Fetcher(is_private=public_site) as fetcher:
        assert fetcher.read_article(site.url("/story-1.html")).warning is None


def test_the_default_notion_of_private() -> None:
    assert host_is_private("127.0.0.2") and host_is_private("10.1.2.3")
    assert host_is_private("169.254.169.254") and host_is_private("[::1]")
    assert not host_is_private("93.184.216.34")
    assert not host_is_private("no-such-host.invalid")


def test_a_page_lying_about_utf16_is_read_with_a_warning(site: Site, fast_limits) -> None:
    with Fetcher() as fetcher:
        article = fetcher.read_article(site.url("/utf16-lie.html"))
    assert article.title == "Ferry Service Returns to Port Alden"
    assert "Port Alden" in article.text
    assert article.warning is not None and "says it is utf-16 but is not" in article.warning


def test_the_cli_names_the_warning(tmp_path: Path, site: Site, fast_limits) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", str(tmp_path / "lib"), "ingest",
         site.url("/utf16-lie.html")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "says it is utf-16 but is not" in done.stderr
    assert "Ferry Service Returns" in done.stdout
