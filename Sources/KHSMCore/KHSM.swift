/// Version of the computation rules; frozen into every release.
public let methodVersion = "1"
