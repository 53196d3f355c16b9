"""Exports of the built deck with LibreOffice: PDF, PNG pages, a contact sheet, a handout."""
