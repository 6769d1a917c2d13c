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

# ==== engines (each module lists its public names in __all__) ====
from . import alerts, anomaly, cluster, forecast
from .alerts import *  # noqa: F401,F403  IntelligentAlertClassifier, AlertFeatures, ...
from .anomaly import *  # noqa: F401,F403  RealTimeAnomalyDetector, MetricData, ...
from .cluster import *  # noqa: F401,F403  AdaptiveClusteringSystem, ClusteringInput, ...
from .forecast import *  # noqa: F401,F403  PredictiveAnalyticsEngine, PredictionInput, ...

__all__ = (["ABI_VERSION", "Config", "describe_config", "last_error", "version", "SpotifyMonError",
            "InvalidArgumentError", "NullPointerError", "BadHandleError", "ConfigError", "NotFoundError",
            "CapacityError", "CorruptSnapshotError", "StateError", "NumericError", "OutOfMemoryError",
            "InternalError"] + alerts.__all__ + anomaly.__all__ + cluster.__all__ + forecast.__all__)
