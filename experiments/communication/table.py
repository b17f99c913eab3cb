#!/usr/bin/python3
"""Markdown tables from experiments/communication/run.sh's CSV: bytes per hyper-gradient of HGP and
of Hessian exchange, their ratio, and the error of both, per model dimension d.

Usage: /usr/bin/python3 experiments/communication/table.py [RESULTS_DIR]
  RESULTS_DIR defaults to results/communication (reads bytes.csv, writes table.md there).
Relative paths are taken from the repository root.
"""
import csv
import os
import statistics
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "results/communication"
    results = results if os.path.isabs(results) else os.path.join(ROOT, results)
    with open(os.path.join(results, "bytes.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    by = {}
    for r in rows:
        by[(int(r["d"]), int(r["seed"]), r["method"])] = r
    dims = sorted({k[0] for k in by})
    seeds = sorted({k[1] for k in by})
    hgp0 = next(r for r in rows if r["method"] == "hgp")
    he0 = next(r for r in rows if r["method"] == "hessian-exchange")
    m, s, s_he = int(hgp0["M"]), int(hgp0["S"]), int(he0["S"])

    def med(values):
        return statistics.median(values)

    lines = [
        f"Per hyper-gradient, median over seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} seeds); "
        f"HGP: M = {m}, S = {s}, alpha fixed (no power iteration counted); Hessian exchange: "
        f"S = {s_he} rounds. Bytes are logical agent-to-agent bytes (8 per number).",
        "",
        "| d | numbers / message HGP | numbers / message HE | rounds HGP | rounds HE "
        "| bytes HGP | bytes HE | HE / HGP | error HGP (median, max) | error HE (median, max) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for d in dims:
        hgp = [by[(d, k, "hgp")] for k in seeds]
        he = [by[(d, k, "hessian-exchange")] for k in seeds]
        b_hgp = med([int(r["bytes_sent"]) for r in hgp])
        b_he = med([int(r["bytes_sent"]) for r in he])
        ratio = med([int(b["bytes_sent"]) / int(a["bytes_sent"]) for a, b in zip(hgp, he)])
        e_hgp = [float(r["error"]) for r in hgp]
        e_he = [float(r["error"]) for r in he]
        lines.append(
            f"| {d} | {d + 1} | {d * d + d + 1} | {med([int(r['rounds']) for r in hgp]):.0f} "
            f"| {med([int(r['rounds']) for r in he]):.0f} | {b_hgp:,.0f} | {b_he:,.0f} | {ratio:.3g} "
            f"| {med(e_hgp):.1e}, {max(e_hgp):.1e} | {med(e_he):.1e}, {max(e_he):.1e} |")
    lines += ["", "Per seed (bytes HGP / bytes HE; error HGP / error HE):", "",
              "| d | " + " | ".join(f"seed {k}" for k in seeds) + " |",
              "|---:|" + "---|" * len(seeds)]
    for d in dims:
        cells = []
        for k in seeds:
            a, b = by[(d, k, "hgp")], by[(d, k, "hessian-exchange")]
            cells.append(f"{int(a['bytes_sent']):,} / {int(b['bytes_sent']):,}; "
                         f"{float(a['error']):.0e} / {float(b['error']):.0e}")
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(results, "table.md"), "w") as f:
        f.write(table)
    print(table, end="")


if __name__ == "__main__":
    main()
