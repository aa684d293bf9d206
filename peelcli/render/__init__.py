"""The only place that writes output: terminal (rich), plain, JSON, CSV and Markdown."""
