"""The commitment register: activities, milestones, updates, links and the progress roll-up."""
