"""How studydeck's diagram pictures look: Graphviz attributes, colours and sizes (no drawing).

The drawing is studydeck.diagrams.render's; checks read the label sizes here without loading it.
"""

from __future__ import annotations

ACCENT = "#E97132"
INK = "#2D3436"
FADED_INK = "#A3ABB3"
NO_BORDER = "transparent"

ICON_POINTS = 56
NODE_COLUMNS = 14  # label width in columns; a Korean syllable takes two
EDGE_COLUMNS = 12
EDGE_LABEL_MARGIN = 4  # points around an edge label's text
CIRCLED = tuple(chr(code) for code in range(0x2460, 0x2474))  # ① … ⑳
# "curved" (diagrams' other choice than ortho) lets edges stray from their labels; "spline"
# routes each edge past its label. Node penwidth is fixed so a step's border moves nothing.
GRAPH_ATTR = {"splines": "spline", "pad": "0.1", "dpi": "150", "fontsize": "22", "labelloc": "t"}
# Tight spacing: the picture is shrunk to fit the slide, so every inch saved enlarges the text.
SPACING = {"ranksep": "0.35", "nodesep": "0.3"}
# Ranks are laid out globally, so a rank may line up nodes of different clusters; only for
# diagrams that have ranks, as it changes how dot lays out every other diagram too.
RANKED = {"newrank": "true"}
NODE_ATTR = {
    "fixedsize": "false",
    "width": "0",
    "margin": "0.06",
    "penwidth": "3",
    "fontsize": "19",
}
EDGE_ATTR = {"fontsize": "17", "penwidth": "2"}
# At the top, dot (2.43, rankdir=LR) may put an edge label over a cluster's label.
CLUSTER_ATTR = {"fontsize": "18", "margin": "14", "penwidth": "1.5", "labelloc": "b"}
BASE_EDGE = {"color": "#7B8894", "fontcolor": INK, "penwidth": "2"}
STRESSED_EDGE = {"color": ACCENT, "fontcolor": ACCENT, "penwidth": "3.5"}
FADED_EDGE = {"color": "#CCD2D8", "fontcolor": FADED_INK, "penwidth": "2"}
FADED_ICON_ALPHA = 0.75
FADED_ICON_COLOUR = 0.2  # 0 is grey, 1 the icon's own colours
