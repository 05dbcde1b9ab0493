"""Multi-label metrics: per-theme precision/recall/F1, micro and macro F1."""
from __future__ import annotations

import numpy as np

#: Macro-F1 is also reported over the themes with at least this many gold examples: on a small
#: set (the 46 real dev problems) a theme seen once swings the plain macro average by 0.08.
MIN_SUPPORT = 3


def multilabel_report(Y: np.ndarray, P: np.ndarray, labels: list[str]) -> dict:
    """Y, P: (n, k) 0/1 arrays. Macro F1 averages the themes that occur in Y (``macro_f1``) and
    the themes with at least MIN_SUPPORT examples (``macro_f1_min3``)."""
    Y = Y.astype(bool)
    P = P.astype(bool)
    per = {}
    for j, lab in enumerate(labels):
        tp = int((Y[:, j] & P[:, j]).sum())
        fp = int((~Y[:, j] & P[:, j]).sum())
        fn = int((Y[:, j] & ~P[:, j]).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": tp + fn}
    tp = int((Y & P).sum())
    fp = int((~Y & P).sum())
    fn = int((Y & ~P).sum())
    micro = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    present = [lab for lab in labels if per[lab]["support"] > 0]
    macro = float(np.mean([per[lab]["f1"] for lab in present])) if present else 0.0
    frequent = [lab for lab in labels if per[lab]["support"] >= MIN_SUPPORT]
    macro3 = float(np.mean([per[lab]["f1"] for lab in frequent])) if frequent else macro
    none_gold = ~Y.any(1)
    none_acc = float((~P[none_gold].any(1)).mean()) if none_gold.any() else None
    return {"per_theme": per, "micro_f1": round(micro, 4), "macro_f1": round(macro, 4),
            "macro_f1_min3": round(macro3, 4),
            "exact_match": round(float((Y == P).all(1).mean()), 4),
            "no_theme_accuracy": None if none_acc is None else round(none_acc, 4), "n": len(Y)}
