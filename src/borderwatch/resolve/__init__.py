"""Resolve stage: values made comparable (currency to USD, dates against the publication date)."""
