"""What the experiments' collectors share: reading a run's result folder, writing a CSV atomically."""
import json
import os
import sys
import tempfile


def load_run(out, name):
    """summary.json and timings.json's seconds_total of the run folder out/runs/name."""
    run = os.path.join(out, "runs", name)
    summary = json.load(open(os.path.join(run, "summary.json")))
    timings = json.load(open(os.path.join(run, "timings.json")))
    return summary, timings["seconds_total"]


def write_csv(out, name, header, rows):
    """out/name with the header line and rows (floats as repr: they round-trip), renamed into place."""
    fd, tmp = tempfile.mkstemp(prefix="." + name + ".", dir=out)
    with os.fdopen(fd, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(repr(x) if isinstance(x, float) else str(x) for x in r) + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, os.path.join(out, name))


def write_atomically(path, write):
    """Calls write(tmp) on a temporary file beside `path`, then renames it into place (0644)."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp.", suffix=os.path.splitext(path)[1], dir=folder)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save_figure(fig, path):
    """A matplotlib figure, laid out tightly, written atomically to `path` (110 dpi)."""
    fig.tight_layout()
    write_atomically(path, lambda tmp: fig.savefig(tmp, dpi=110))


def write_table(results, lines):
    """The Markdown lines as results/table.md (atomically), echoed to stdout."""
    text = "\n".join(lines) + "\n"
    write_atomically(os.path.join(results, "table.md"), lambda tmp: open(tmp, "w").write(text))
    sys.stdout.write(text)


ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def repository_path(path):
    """`path` as given when absolute, else taken from the repository root."""
    return path if os.path.isabs(path) else os.path.join(ROOT, path)
