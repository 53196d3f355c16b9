"""Colours as WCAG 2.x sees them: luminance, contrast ratios, and text colours that read.

A colour too light (or too dark) for text on its background is moved towards black (or white)
just far enough to reach MINIMUM_RATIO.
"""

from __future__ import annotations

MINIMUM_RATIO = 4.5  # WCAG 2.x AA for normal text
_STEPS = 100


def luminance(color: str) -> float:
    """Give the WCAG relative luminance of an RRGGBB colour (0 black … 1 white)."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """Give the WCAG contrast ratio of two RRGGBB colours (1 … 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(color: str, background: str) -> str:
    """Give `color`, or the nearest colour to it that text can be read in on `background`."""
    color = color.upper()
    if contrast_ratio(color, background) >= MINIMUM_RATIO:
        return color
    # away from the background: darker on a light one, lighter on a dark one
    target = "000000" if contrast_ratio("000000", background) >= contrast_ratio(
        "FFFFFF", background) else "FFFFFF"
    for step in range(1, _STEPS + 1):
        mixed = mix(color, target, step / _STEPS)
        if contrast_ratio(mixed, background) >= MINIMUM_RATIO:
            return mixed
    return target


def mix(start: str, end: str, share: float) -> str:
    """Give the colour `share` of the way from `start` to `end` (both RRGGBB)."""
    channels = (
        round(int(start[i:i + 2], 16) * (1 - share) + int(end[i:i + 2], 16) * share)
        for i in (0, 2, 4)
    )
    return "".join(f"{channel:02X}" for channel in channels)
