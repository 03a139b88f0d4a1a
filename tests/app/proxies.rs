//! Client addresses behind reverse proxies (`WAYPOINT_TRUSTED_PROXIES`).
