"""Colours as WCAG 2.x sees them: luminance, contrast ratios, and text colours that read.

A colour too light (or too dark) for text on its background is moved towards black (or white)
just far enough to reach MINIMUM_RATIO.
"""

from __future__ import annotations

import colorsys
import functools

MINIMUM_RATIO = 4.5  # WCAG 2.x AA for normal text
_STEPS = 100


@functools.lru_cache(maxsize=65536)  # a picture's part is read colour by colour (its hardest)
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


def shade_of(base: str, color: str) -> tuple[int, int, int] | None:
    """Give the DrawingML colour transforms (satMod, lumMod, lumOff, in thousandths of a
    percent) that turn `base` into `color`, as PowerPoint and LibreOffice apply them (in HSL),
    or None when `color` is not `base` mixed with white or black (as `mix` and `readable` make
    the deck's tints and shades: a table's row tint, an accent darkened for text).

    Mixing with white or black keeps the hue, so the transforms give the mixed colour exactly.
    """
    _, lightness, saturation = _hls(base)
    if saturation == 0 or not 0 < lightness < 1 or not any(
            _close(mix(base, end, _share(base, end, color)), color) for end in _ENDS):
        return None
    _, wanted_lightness, wanted_saturation = _hls(color)
    if wanted_lightness >= lightness:
        offset = (wanted_lightness - lightness) / (1 - lightness)
        modulation = 1 - offset
    else:
        offset, modulation = 0.0, wanted_lightness / lightness
    transforms = (round(wanted_saturation / saturation * 100_000), round(modulation * 100_000),
                  round(offset * 100_000))
    return transforms if _close(transformed(base, transforms), color) else None


_ENDS = ("FFFFFF", "000000")


def _share(start: str, end: str, color: str) -> float:
    """Give how far `color` is from `start` towards `end`, read on their most different channel."""
    channel = max((0, 2, 4), key=lambda i: abs(int(end[i:i + 2], 16) - int(start[i:i + 2], 16)))
    span = int(end[channel:channel + 2], 16) - int(start[channel:channel + 2], 16)
    moved = int(color[channel:channel + 2], 16) - int(start[channel:channel + 2], 16)
    return min(1.0, max(0.0, moved / span)) if span else 0.0


def transformed(base: str, transforms: tuple[int, int, int]) -> str:
    """Give `base` after the colour transforms satMod, lumMod, lumOff (as shade_of gives them)."""
    saturation_factor, modulation, offset = (value / 100_000 for value in transforms)
    hue, lightness, saturation = _hls(base)
    lightness = min(1.0, lightness * modulation + offset)
    saturation = min(1.0, saturation * saturation_factor)
    return "".join(f"{round(channel * 255):02X}"
                   for channel in colorsys.hls_to_rgb(hue, lightness, saturation))


def _hls(color: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4)))


def _close(first: str, second: str) -> bool:
    """Tell whether two RRGGBB colours differ by at most 1 in every channel (rounding)."""
    return all(abs(int(first[i:i + 2], 16) - int(second[i:i + 2], 16)) <= 1 for i in (0, 2, 4))
