"""The analyst's workbench: web pages and JSON API over the store, server-rendered charts and map."""
