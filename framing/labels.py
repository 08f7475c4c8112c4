"""The three labels, their order, colours and display names: one home for all of them.

Every module that needs a label, its colour or its order imports it from here.
The colours are Okabe-Ito orange and sky blue, which colour-blind readers can
tell apart; neutral is grey.
"""

from __future__ import annotations

ENFORCEMENT, NEUTRAL, RIGHTS = "enforcement", "neutral", "rights"
LABELS: tuple[str, ...] = (ENFORCEMENT, NEUTRAL, RIGHTS)

COLOURS: dict[str, str] = {ENFORCEMENT: "#E69F00", RIGHTS: "#56B4E9", NEUTRAL: "#767676"}
# How the terminal shows each label (rich styles).
TERMINAL_STYLES: dict[str, str] = {
    ENFORCEMENT: f"bold {COLOURS[ENFORCEMENT]}",
    RIGHTS: f"bold {COLOURS[RIGHTS]}",
    NEUTRAL: "dim",
}
DISPLAY_NAMES: dict[str, str] = {
    ENFORCEMENT: "enforcement-framed",
    RIGHTS: "rights-framed",
    NEUTRAL: "neutral",
}
