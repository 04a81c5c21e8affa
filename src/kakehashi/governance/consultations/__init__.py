"""Joint Working Group consultations: meetings, minutes approved by both sides, decisions and action items."""
