"""Elbow routes and the connectors that draw them: what the XML says is where the line runs.

The connector's path is read back with tests/diagram_xml.py's reader (presetShapeDefinitions'
formulas, flips, then the turn), independent of how studydeck worked the adjust values out.
"""

from __future__ import annotations

import math

import pytest
from diagram_xml import line_path
from lxml import etree
from pptx.oxml.ns import qn
from pptx.oxml.shapes.connector import CT_Connector

from studydeck.diagrams.elbows import Port, cheapest_clear, elbow_routes
from studydeck.layout.geometry import Box
from studydeck.pptx.elbow_connector import elbow_shape, shape_as_elbow

RIGHT, LEFT, UP, DOWN = (1, 0), (-1, 0), (0, -1), (0, 1)


def _written(route: tuple[tuple[int, int], ...]) -> list[tuple[float, float]]:
    """Give the path an elbow connector written for `route` draws, read back from its XML."""
    shape = elbow_shape(route)
    assert shape is not None
    connector = CT_Connector.new_cxnSp(1, "edge", "straightConnector1", 0, 0, 0, 0, False, False)
    shape_as_elbow(connector, shape)
    return line_path(etree.fromstring(etree.tostring(connector)))


@pytest.mark.parametrize("route", [
    ((0, 0), (900_000, 0), (900_000, 500_000)),  # right, then down
    ((0, 0), (0, 400_000), (700_000, 400_000)),  # down, then right: turned
    ((800_000, 600_000), (800_000, 100_000), (0, 100_000)),  # up, then left: turned, flipped
    ((0, 0), (300_000, 0), (300_000, 600_000), (900_000, 600_000)),  # a Z
    ((900_000, 0), (1_200_000, 0), (1_200_000, 600_000), (0, 600_000)),  # a U: adj past 100000
    ((0, 0), (0, -200_000), (500_000, -200_000), (500_000, 300_000)),  # up and over: turned U
])
def test_an_elbow_connector_draws_its_route(route: tuple[tuple[int, int], ...]) -> None:
    drawn = _written(route)
    assert len(drawn) == len(route)
    assert max(math.dist(a, b) for a, b in zip(drawn, route, strict=True)) < 10  # EMU


def test_the_preset_follows_the_number_of_pieces_and_powerpoints_attributes() -> None:
    shape = elbow_shape(((0, 0), (0, 400_000), (700_000, 400_000)))
    assert shape is not None
    connector = CT_Connector.new_cxnSp(1, "edge", "straightConnector1", 0, 0, 0, 0, False, False)
    shape_as_elbow(connector, shape)
    preset = connector.find(f"{qn('p:spPr')}/{qn('a:prstGeom')}")
    assert preset.get("prst") == "bentConnector2"
    assert connector.find(f"{qn('p:spPr')}/{qn('a:xfrm')}").get("rot") == "5400000"
    z = elbow_shape(((0, 0), (300_000, 0), (300_000, 600_000), (900_000, 600_000)))
    assert z is not None and (z.preset, z.adjusts, z.rotation) == ("bentConnector3", (33333,), 0)


def test_no_connector_for_a_bent_route_whose_ends_line_up() -> None:
    # its adjust values would be shares of a box zero wide
    assert elbow_shape(((0, 0), (300_000, 0), (300_000, 500_000), (0, 500_000))) is None


def test_routes_leave_and_enter_their_sites_straight_out() -> None:
    tail, head = Port(0, 0, RIGHT), Port(600_000, 400_000, UP)
    routes = list(elbow_routes(tail, head, 50_000))
    assert ((0, 0), (600_000, 0), (600_000, 400_000)) in routes
    for route in routes:
        assert route[1][1] == 0 and route[1][0] > 0  # leaves rightwards
        assert route[-2][0] == 600_000 and route[-2][1] < 400_000  # enters from above


def test_the_cheapest_route_goes_round_what_it_must_miss() -> None:
    z = (Port(0, 0, RIGHT), Port(600_000, 400_000, LEFT), 0.0)
    corner = (Port(0, 0, RIGHT), Port(800_000, 350_000, UP), 0.0)  # the top of another: an L
    free = cheapest_clear([z, corner], 50_000, [], [])
    assert free is not None and free[0] == 0  # the Z is shorter
    blocked = Box(250_000, 100_000, 100_000, 200_000)  # on the middle of the Z
    around = cheapest_clear([z, corner], 50_000, [blocked], [])
    assert around == (1, ((0, 0), (800_000, 0), (800_000, 350_000)))
    assert cheapest_clear([z], 50_000, [blocked], []) is None  # then a freeform draws it


def test_a_route_that_would_run_along_another_line_is_not_taken() -> None:
    first = cheapest_clear([(Port(0, 0, RIGHT), Port(600_000, 400_000, LEFT), 0.0)], 50_000,
                           [], [])
    assert first is not None and first[1][1][0] == 300_000  # its middle piece halfway
    # between the first's ends: halfway, its middle piece would be drawn over the first's
    z = (Port(0, 100_000, RIGHT), Port(600_000, 300_000, LEFT), 0.0)
    corner = (Port(0, 100_000, RIGHT), Port(650_000, 300_000, UP), 0.0)
    second = cheapest_clear([z, corner], 50_000, [], [first[1]])
    assert second is not None and second[0] == 1


def test_no_u_shaped_route_libreoffice_would_flatten() -> None:
    # both sites face right: only a U joins them, whose adjust value LibreOffice holds to 100000
    ends = [(Port(0, 0, RIGHT), Port(200_000, 400_000, RIGHT), 0.0)]
    assert cheapest_clear(ends, 50_000, [], []) is None
