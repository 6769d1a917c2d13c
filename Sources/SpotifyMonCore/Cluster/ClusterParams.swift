/// The clustering algorithms.
public enum ClusterAlgorithm: String, Sendable, CaseIterable {
    /// Lloyd's k-means with k-means++ seeding and Hamerly's bounds.
    case kmeans
    /// Mini-batch k-means.
    case minibatch
    /// DBSCAN over a k-d tree.
    case dbscan
    /// Gaussian mixture fitted by EM.
    case gmm
    /// Spectral clustering on a k-NN graph.
    case spectral
    /// Hierarchical agglomerative clustering.
    case agglomerative
    /// Online micro-clusters (leader clustering with decay) and a weighted k-means over them.
    case stream

    /// The numeric code of the C ABI.
    public var code: Int32 { Int32(ClusterAlgorithm.allCases.firstIndex(of: self) ?? 0) }
}

/// Agglomerative linkages.
public enum Linkage: String, Sendable, CaseIterable {
    /// Minimum increase of within-cluster variance.
    case ward
    /// Mean pairwise distance.
    case average
    /// Largest pairwise distance.
    case complete
    /// Smallest pairwise distance.
    case single
}

/// Every parameter of the clusterer, read once from a `Configuration`.
public struct ClusterParams: Sendable, Equatable {
    /// Algorithm of `fit`.
    public var algorithm: ClusterAlgorithm = .kmeans
    /// Clusters (0: automatic).
    public var k = 0
    /// Largest k of automatic k.
    public var kMax = 10
    /// K-means restarts.
    public var nInit = 3
    /// Iteration cap.
    public var maxIter = 300
    /// Tolerance.
    public var tol = 1e-4
    /// Mini-batch size.
    public var batchSize = 1024
    /// DBSCAN radius.
    public var eps = 0.5
    /// DBSCAN core threshold.
    public var minSamples = 5
    /// Full (true) or diagonal covariances.
    public var fullCovariance = true
    /// Covariance regularisation.
    public var regCovar = 1e-6
    /// Agglomerative linkage.
    public var linkage: Linkage = .ward
    /// Spectral k-NN size.
    public var neighbors = 10
    /// Standardise features.
    public var standardize = false
    /// PCA components (0: none).
    public var pcaComponents = 0
    /// Silhouette sample size.
    public var silhouetteSample = 3000
    /// Anomaly threshold on the calibrated score.
    public var anomalyThreshold = 0.99
    /// Online radius (0: automatic).
    public var streamRadius = 0.0
    /// Online micro-cluster cap.
    public var streamMaxClusters = 64
    /// Online half-life in points.
    public var streamHalfLife = 10_000.0
    /// Online warm-up.
    public var streamWarmup = 200
    /// Drift threshold.
    public var driftThreshold = 25.0
    /// Random seed.
    public var seed: UInt64 = 42

    /// Defaults.
    public init() {}

    /// The parameters of a validated configuration.
    public init(config: Configuration) {
        algorithm = ClusterAlgorithm(rawValue: config.string("clusterer.algorithm")) ?? .kmeans
        k = config.int("clusterer.k")
        kMax = config.int("clusterer.k_max")
        nInit = config.int("clusterer.n_init")
        maxIter = config.int("clusterer.max_iter")
        tol = config.double("clusterer.tol")
        batchSize = config.int("clusterer.batch_size")
        eps = config.double("clusterer.eps")
        minSamples = config.int("clusterer.min_samples")
        fullCovariance = config.string("clusterer.covariance") == "full"
        regCovar = config.double("clusterer.reg_covar")
        linkage = Linkage(rawValue: config.string("clusterer.linkage")) ?? .ward
        neighbors = config.int("clusterer.neighbors")
        standardize = config.bool("clusterer.standardize")
        pcaComponents = config.int("clusterer.pca_components")
        silhouetteSample = config.int("clusterer.silhouette_sample")
        anomalyThreshold = config.double("clusterer.anomaly_threshold")
        streamRadius = config.double("clusterer.stream_radius")
        streamMaxClusters = config.int("clusterer.stream_max_clusters")
        streamHalfLife = config.double("clusterer.stream_half_life")
        streamWarmup = config.int("clusterer.stream_warmup")
        driftThreshold = config.double("clusterer.drift_threshold")
        seed = UInt64(clamping: config.int("seed"))
    }
}
