"""spotifymon: in-process monitoring intelligence (anomaly detection, alert classification,
forecasting, clustering) over libspotifymon.so.

The names follow the product description's examples: `RealTimeAnomalyDetector`,
`IntelligentAlertClassifier`, `PredictiveAnalyticsEngine`, `AdaptiveClusteringSystem`.
"""
from ._native import (ABI_VERSION, BadHandleError, CapacityError, Config, ConfigError,
                      CorruptSnapshotError, InternalError, InvalidArgumentError, NotFoundError,
                      NullPointerError, NumericError, OutOfMemoryError, SpotifyMonError, StateError,
                      describe_config, last_error, version)

__version__ = version

# ==== engines (each module adds its public names) ====
