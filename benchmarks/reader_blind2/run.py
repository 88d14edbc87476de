"""Second blind layout benchmark of the decree reader: the same decree, other layouts.

Each layout from this directory's render.py is rendered into a temporary directory (the
Word ones are copied from fixtures/), then measured exactly as the first blind benchmark
measures its own (`benchmarks/reader_blind/run.py`, whose runner this reuses): the
project's command line as a black box, `mamandyq ingest PDF` then `mamandyq export
--format json`, the exported rows compared with tests/data/expected_rows.tsv. It is a
measurement: the exit code is always 0.

    python -m benchmarks.reader_blind2.run [--list] [--only NAME ...] [--keep DIR]
    python benchmarks/reader_blind2/run.py [...]     (the same)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep benchmarks/reader_blind2 free of __pycache__


def _load(path: Path, name: str) -> ModuleType:
    """A module from a file, under a name of its own (both benchmarks have a render.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    layouts = _load(HERE / "render.py", "reader_blind2_render")
    runner = _load(HERE.parent / "reader_blind" / "run.py", "reader_blind_run")
    try:
        runner.main(layouts, "reader-blind2", __doc__.splitlines()[0])
    except KeyboardInterrupt:
        raise
    except Exception as e:  # a measurement: report and exit 0
        print(f"benchmark error: {type(e).__name__}: {e}")
    sys.exit(0)
