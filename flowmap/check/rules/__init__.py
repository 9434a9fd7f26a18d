"""Finding rules, one module per code family; see ``registry``."""
