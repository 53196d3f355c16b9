"""A LibreOffice profile whose Basic macro converts a deck to PDF with autospacing off.

Without python3-uno there is no worker to switch Asian–Latin autospacing off (see uno_worker.py),
and nothing in a .pptx or in LibreOffice's settings does it: the OOXML import has no attribute
for it, so every imported text takes the document's default, on, which puts spaces that are not
in the text between Hangul and Latin letters or punctuation ("DB 에서", "묻는다 ."). Basic needs
no Python: the private profile of each plain `soffice` run holds this macro in its own "My
Macros" (trusted, as the user's own), and `soffice macro:///…` runs it. The deck, the PDF and
the kind of pages are handed over in the environment, so no path is quoted into the macro's URL.
"""

from __future__ import annotations

from pathlib import Path

MACRO_URL = "macro:///Standard.Module1.ToPdf"
DECK, PDF, NOTES = "STUDYDECK_DECK", "STUDYDECK_PDF", "STUDYDECK_NOTES_PAGES"

_MODULE = """\
Sub ToPdf
    Dim doc As Object
    Dim notes As Boolean
    On Error Goto Failed
    notes = (Environ("STUDYDECK_NOTES_PAGES") = "1")
    Dim load(1) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden" : load(0).Value = True
    load(1).Name = "ReadOnly" : load(1).Value = True
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ("STUDYDECK_DECK")), _
                                           "_blank", 0, load())
    ' every text takes the document's default: one assignment turns it off (see uno_worker.py)
    doc.createInstance("com.sun.star.drawing.Defaults").ParaIsCharacterDistance = False
    Dim filter(1) As New com.sun.star.beans.PropertyValue
    filter(0).Name = "ExportNotesPages" : filter(0).Value = notes
    filter(1).Name = "ExportOnlyNotesPages" : filter(1).Value = notes
    Dim store(1) As New com.sun.star.beans.PropertyValue
    store(0).Name = "FilterName" : store(0).Value = "impress_pdf_Export"
    store(1).Name = "FilterData" : store(1).Value = filter()
    doc.storeToURL(ConvertToURL(Environ("STUDYDECK_PDF")), store())
    doc.close(True)
    Exit Sub
Failed:
    On Error Resume Next
    If Not IsNull(doc) Then doc.close(True)
End Sub
"""

_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {kind} PUBLIC '
           '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">\n')
_LIBRARY = 'xmlns:library="http://openoffice.org/2000/library"'
_FILES = {
    "basic/script.xlc": _HEADER.format(kind="library:libraries", dtd="libraries.dtd")
    + f'<library:libraries {_LIBRARY}>\n <library:library library:name="Standard" '
      'library:link="false"/>\n</library:libraries>\n',
    "basic/Standard/script.xlb": _HEADER.format(kind="library:library", dtd="library.dtd")
    + f'<library:library {_LIBRARY} library:name="Standard" library:readonly="false" '
      'library:passwordprotected="false">\n <library:element library:name="Module1"/>\n'
      '</library:library>\n',
    "basic/Standard/Module1.xba": _HEADER.format(kind="script:module", dtd="module.dtd")
    + '<script:module xmlns:script="http://openoffice.org/2000/script" '
      'script:name="Module1" script:language="StarBasic">'
    + _MODULE.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    + "</script:module>\n",
    # the profile counts as set up: LibreOffice would otherwise copy its own Basic over ours
    "registrymodifications.xcu": '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
    '<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" '
    'oor:op="fuse"><value>true</value></prop></item>\n</oor:items>\n',
}


def seed_profile(profile: Path) -> None:
    """Write into the new LibreOffice profile `profile` the macro that converts (see above)."""
    for name, text in _FILES.items():
        target = profile / "user" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def macro_environment(deck: Path, pdf: Path, notes_pages: bool) -> dict[str, str]:
    """Give what the macro reads from its environment: which deck, which PDF, which pages."""
    return {DECK: str(deck.resolve()), PDF: str(pdf.resolve()), NOTES: "1" if notes_pages else ""}
