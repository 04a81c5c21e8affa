"""Dashboards, charts, the yearly bilingual report and exports of the register."""
