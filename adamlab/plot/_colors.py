"""One colour per optimizer, the same in every view.

The six optimizers of the paper each own a fixed colour (Okabe-Ito palette, readable by colour-blind
readers), and so do Adam's variants AMSGrad, AdamW, AdamEpsHat and NAdam (Paul Tol's palette), so one
optimizer has one colour across the whole course. When one picture holds several runs of the same
optimizer class (e.g. the bias-correction ablation, or Adam with two learning rates), the first keeps
the class colour and the others take the next colour of a variant cycle, so every curve in one picture
is distinct, and the same list of trajectories gets the same colours in every view. Classes without a
fixed colour (your own optimizer) take variant colours.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["OptimizerColors", "colors"]


def _class_name(item) -> str:
    """Class name of an optimizer, a Trajectory (its optimizer) or a label such as ``"Adam(lr=0.1)"``."""
    if isinstance(item, tuple):
        return item[0]
    if isinstance(item, str):
        return item.split("(", 1)[0].strip()
    optimizer = getattr(item, "optimizer", item)
    return type(optimizer).__name__


def _label(item) -> str:
    if isinstance(item, tuple):
        return item[1]
    if isinstance(item, str):
        return item
    if hasattr(item, "label"):
        return item.label
    return repr(item)


class OptimizerColors:
    """Stable colour per optimizer class, plus a variant cycle for repeats.

    Examples
    --------
    >>> from adamlab.plot import colors
    >>> colors["Adam"]
    '#D55E00'
    >>> colors("Adam(lr=0.1)") == colors["Adam"]
    True
    >>> colors.assign(["Adam(lr=0.1)", "Adam(lr=0.01)", "SGD(lr=0.1)", "Adam(lr=0.1)"])
    ['#D55E00', '#56B4E9', '#333333', '#D55E00']
    """

    base: dict[str, str] = {
        "Adam": "#D55E00",  # vermillion
        "AdaMax": "#CC79A7",  # reddish purple
        "RMSProp": "#009E73",  # bluish green
        "AdaGrad": "#E69F00",  # orange
        "Momentum": "#0072B2",  # blue
        "SGD": "#333333",  # near black
        # Adam's variants (issue 7): dark, distinct from Adam's vermillion and from each other.
        "AMSGrad": "#882255",  # wine
        "AdamW": "#44AA99",  # teal
        "AdamEpsHat": "#999933",  # olive
        "NAdam": "#332288",  # indigo
    }
    variants: tuple[str, ...] = (
        "#56B4E9",  # sky blue
        "#AA4499",  # purple
        "#117733",  # green
        "#661100",  # brown
        "#88CCEE",  # cyan
        "#6699CC",  # steel blue
        "#DDAA33",  # ochre
        "#EE99AA",  # pink
    )

    def __getitem__(self, name: str) -> str:
        """Colour of an optimizer class name (or a label starting with it)."""
        cls = _class_name(name)
        if cls not in self.base:
            raise KeyError(f"no fixed colour for {cls!r}; known: {', '.join(self.base)}")
        return self.base[cls]

    def __call__(self, item) -> str:
        """Colour of an optimizer, Trajectory or label; unknown classes get the first variant."""
        return self.base.get(_class_name(item), self.variants[0])

    def __iter__(self):
        return iter(self.base)

    def __repr__(self) -> str:
        return f"OptimizerColors({self.base})"

    def assign(self, items: Iterable) -> list[str]:
        """Colours for several runs drawn together.

        ``items`` are optimizers, Trajectories, labels such as ``"Adam(lr=0.1)"`` or
        ``(class_name, label)`` pairs.

        Equal labels share a colour; the first label of each known class gets the class colour;
        every other label takes the next unused colour of the variant cycle.
        """
        items = list(items)
        by_label: dict[str, str] = {}
        used_class: set[str] = set()
        # First pass: class colours go to the first label of each class, wherever it sits.
        for item in items:
            label, cls = _label(item), _class_name(item)
            if label not in by_label and cls in self.base and cls not in used_class:
                by_label[label] = self.base[cls]
                used_class.add(cls)
        k = 0
        for item in items:
            label = _label(item)
            if label not in by_label:
                by_label[label] = self.variants[k % len(self.variants)]
                k += 1
        return [by_label[_label(item)] for item in items]


colors = OptimizerColors()
