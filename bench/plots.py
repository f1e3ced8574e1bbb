"""PNG plots of the benchmark results (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def throughput(results: dict, path: Path) -> Path | None:
    """Sentences per second of each system (the three-way comparison, else ours vs raw)."""
    compare = results.get("compare")
    if compare:
        names = list(compare["systems"])
        values = [compare["systems"][n]["sentences_per_s"] for n in names]
    else:
        t = results["throughput"]
        names, values = ["raw_ctranslate2", "translator"], [t["raw_ctranslate2"]["sentences_per_s"],
                                                            t["translator"]["sentences_per_s"]]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    bars = ax.barh(names, values, color=["#9ca3af", "#1d4ed8", "#f59e0b"][:len(names)])
    ax.bar_label(bars, fmt="%.1f", padding=3)
    ax.margins(x=0.12)
    ax.set_xlabel("sentences per second (zh->en, beam 4, 2 threads)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def quality(results: dict, path: Path) -> Path | None:
    """chrF and term accuracy with and without the glossary, per route."""
    routes = results.get("terminology", {}).get("routes")
    if not routes:
        return None
    plt = _pyplot()
    labels = [" > ".join(r["route_taken"]) for r in routes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    x = range(len(routes))
    for ax, key, title in ((left, "chrf", "chrF"), (right, "term_accuracy", "glossary term accuracy")):
        without = [r["without"][key] * (100 if key == "term_accuracy" else 1) for r in routes]
        with_ = [r["with"][key] * (100 if key == "term_accuracy" else 1) for r in routes]
        ax.bar([i - 0.2 for i in x], without, width=0.4, label="without glossary", color="#9ca3af")
        ax.bar([i + 0.2 for i in x], with_, width=0.4, label="with glossary", color="#1d4ed8")
        ax.set_xticks(list(x), labels, rotation=20, ha="right", fontsize=8)
        ax.set_title(title, pad=18)
        ax.set_ylim(min(without + with_) * 0.9 if key == "term_accuracy" else 0, None)
    fig.legend(*left.get_legend_handles_labels(), loc="upper center", ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
