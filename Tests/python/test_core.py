"""The binding's foundation: loading, ABI check, config, status-to-exception mapping, bad input."""
import ctypes
import os
import subprocess
import sys

import pytest

import spotifymon
from spotifymon import _native


def test_version_and_abi():
    assert spotifymon.version == "0.1.0"
    assert _native.lib.smon_version_number() == spotifymon.ABI_VERSION


def test_config_roundtrip_and_errors():
    with spotifymon.Config({"seed": 7}) as cfg:
        assert cfg.get("seed") == "7"
        with pytest.raises(spotifymon.ConfigError, match="no.such.key"):
            cfg.set("no.such.key", 1)
        with pytest.raises(spotifymon.ConfigError):
            cfg.set("seed", "banana")
        assert cfg.get("seed") == "7"  # a failed set changes nothing
        with pytest.raises(spotifymon.ConfigError):
            cfg.get("no.such.key")
        with pytest.raises(spotifymon.InvalidArgumentError):
            cfg.set("seed", "1\x002")


def test_describe_lists_core_and_context_keys():
    keys = {k["key"] for k in spotifymon.describe_config()}
    assert {"seed", "series.max", "context.peak_hours"} <= keys


def test_raw_bad_input_returns_status_not_crash():
    lib = _native.lib
    assert lib.smon_config_new(None) == 2
    assert "NULL" in spotifymon.last_error() or "null" in spotifymon.last_error().lower()
    assert lib.smon_config_set(None, b"seed", b"1", None, 0) == 2
    bogus = ctypes.c_void_p(0xDEADBEEF)
    assert lib.smon_config_set(bogus, b"seed", b"1", None, 0) == 3
    assert lib.smon_config_get(bogus, b"seed", None, 0, None) == 3
    cfg = ctypes.c_void_p()
    assert lib.smon_config_new(ctypes.byref(cfg)) == 0
    assert lib.smon_config_set(cfg, b"\xff\xfe", b"1", None, 0) == 1
    lib.smon_config_free(cfg)
    assert lib.smon_config_set(cfg, b"seed", b"1", None, 0) == 3  # freed handle detected
    lib.smon_config_free(cfg)  # double free: no-op
    lib.smon_free(None)


def test_status_maps_to_exception_classes():
    for status, cls in _native._BY_STATUS.items():
        with pytest.raises(cls) as info:
            _native.check(status)
        assert info.value.status == status
        assert isinstance(info.value, spotifymon.SpotifyMonError)


def test_missing_library_is_a_clear_import_error():
    env = dict(os.environ, SPOTIFYMON_LIBRARY="/nonexistent/libspotifymon.so",
               PYTHONPATH=os.path.dirname(os.path.dirname(_native.__file__)))
    r = subprocess.run([sys.executable, "-c", "import spotifymon"], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "libspotifymon.so not found" in r.stderr


def test_pip_installable(tmp_path):
    """`pip install ./Bindings/python` works (into a throwaway venv sharing site-packages)."""
    import pathlib
    import shutil
    root = tmp_path / "src"  # a copy, so the build leaves nothing in the source tree
    shutil.copytree(pathlib.Path(_native.__file__).resolve().parents[1], root,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "*.so"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--disable-pip-version-check", str(root)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(py), "-c", "import spotifymon, sys; print(spotifymon.version, spotifymon.__file__)"],
                       cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ))
    assert r.returncode == 0, r.stderr
    assert "0.1.0" in r.stdout and str(venv) in r.stdout


def test_seed_names_at_top_level():
    for name in ("RealTimeAnomalyDetector", "MetricData", "IntelligentAlertClassifier", "AlertFeatures",
                 "PredictiveAnalyticsEngine", "PredictionInput", "PredictionType", "PredictionHorizon",
                 "AdaptiveClusteringSystem", "ClusteringInput"):
        assert hasattr(spotifymon, name), name
    assert len(set(spotifymon.__all__)) == len(spotifymon.__all__)
