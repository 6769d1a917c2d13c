"""Makes the in-tree binding importable and points it at the release build."""
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Bindings" / "python"))
os.environ.setdefault("SPOTIFYMON_LIBRARY", str(ROOT / ".build" / "release" / "libspotifymon.so"))
