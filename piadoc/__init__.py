"""piadoc: 特定個人情報保護評価書 from plain-text specs (.pia) — parse, check against the form, build .docx."""
__version__ = "0.1.0"
