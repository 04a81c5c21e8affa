"""Training, workshops and seminars: catalogue, registration with a waiting list, attendance, certificates."""
