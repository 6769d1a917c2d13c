"""Exit 0 if every requirement in the given requirements file (and its -r includes) is installed."""
import pathlib
import sys
from importlib import metadata


def requirements(path: pathlib.Path):
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r"):
            yield from requirements(path.parent / line[2:].strip())
        else:
            yield line


def met(req: str) -> bool:
    try:
        from packaging.requirements import Requirement
        r = Requirement(req)
        return r.specifier.contains(metadata.version(r.name), prereleases=True)
    except ImportError:  # no packaging: presence only
        name = req.split("=")[0].split(">")[0].split("<")[0].strip()
        try:
            metadata.version(name)
            return True
        except metadata.PackageNotFoundError:
            return False
    except metadata.PackageNotFoundError:
        return False


missing = [r for r in requirements(pathlib.Path(sys.argv[1])) if not met(r)]
if missing:
    print("missing: " + ", ".join(missing))
sys.exit(1 if missing else 0)
