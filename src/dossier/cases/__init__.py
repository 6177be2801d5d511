"""Cases: legal frameworks as data, suspects and charges, evidence by element, proceedings."""
