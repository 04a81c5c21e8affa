"""cyber context: CERT-to-CERT exchange over TAXII 2.1 and the conformity register. Public surface.

`LOG_FACTS` tells the agreement log's verifier how to check TAXII evidence against the stored objects.
"""

from kakehashi.cyber.logfacts import LOG_FACTS

__all__ = ["LOG_FACTS"]
