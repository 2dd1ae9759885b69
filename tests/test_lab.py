"""``make lab``: JupyterLab on 127.0.0.1 only, token required, opened on notebooks/."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from labserver import ROOT, LabServer, http_status, stale_jupyter_config


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


def test_prints_a_127_0_0_1_url_with_a_token(lab):
    assert len(lab.token) >= 32
    assert any(f"http://127.0.0.1:{lab.port}/lab?token=" in line for line in lab.log)


def test_answers_with_the_token(lab):
    assert http_status(f"{lab.base}/api/status?token={lab.token}") == 200


def test_refuses_without_the_token_or_with_a_wrong_one(lab):
    assert http_status(f"{lab.base}/api/status") == 403
    wrong = ("1" if lab.token[0] == "0" else "0") + lab.token[1:]  # differs in its first character
    assert http_status(f"{lab.base}/api/status?token={wrong}") == 403


def test_opens_on_the_notebooks_folder(lab):
    with urllib.request.urlopen(f"{lab.base}/api/contents?token={lab.token}", timeout=5) as response:
        names = {item["name"] for item in json.load(response)["content"]}
    assert "01_call_styles.ipynb" in names and "README.md" not in names


def _non_loopback_ipv4() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # UDP connect sends nothing; it only picks the outgoing address
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_does_not_listen_on_other_addresses(lab):
    address = _non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((address, lab.port)) != 0


def test_refuses_to_override_the_address_or_token():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lab.py"), "--ServerApp.ip=0.0.0.0"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "is fixed" in result.stderr


def test_no_news_feed_and_no_update_check(lab):
    """The series' settings (jupyter/, installed by the bootstrap and by Binder's postBuild) are in effect."""
    with urllib.request.urlopen(f"{lab.base}/lab?token={lab.token}", timeout=10) as response:
        page = response.read().decode()
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["news"] == {"disabled": True}
    url = f"{lab.base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={lab.token}"
    with urllib.request.urlopen(url, timeout=10) as response:
        schema = json.load(response)["schema"]["properties"]
    assert schema["fetchNews"]["default"] == "false" and schema["checkForUpdates"]["default"] is False
    with urllib.request.urlopen(f"{lab.base}/lab/api/update?token={lab.token}", timeout=10) as response:
        assert json.load(response)["notification"] is None


def test_the_venv_holds_the_repository_s_jupyter_settings():
    """The lab runs with the installed copies; they must be the files of jupyter/ (make's bootstrap installs them)."""
    assert stale_jupyter_config() == [], "run python scripts/install_jupyter_config.py"


def test_a_changed_or_missing_copy_is_reported(tmp_path):
    from install_jupyter_config import install

    install(tmp_path)
    assert stale_jupyter_config(tmp_path) == []
    (tmp_path / "etc" / "jupyter" / "jupyter_lab_config.json").write_text("{}")
    (tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json").unlink()
    assert stale_jupyter_config(tmp_path) == ["jupyter/lab/settings/overrides.json", "jupyter/jupyter_lab_config.json"]
