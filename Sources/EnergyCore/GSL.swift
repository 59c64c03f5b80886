import CGSL

/// Process-wide GSL set-up.
///
/// GSL's default error handler calls `abort()`. The toolkit switches it off once
/// (`gsl_set_error_handler_off`) and turns every status code into a Swift `NumericalError`.
public enum GSL {
    /// Runs `gsl_set_error_handler_off()` exactly once, on first use.
    private static let handlerOff: Void = { _ = gsl_set_error_handler_off() }()

    /// Ensures GSL returns status codes instead of aborting. Called by every GSL wrapper.
    @inlinable public static func prepare() { _prepare() }

    @usableFromInline static func _prepare() { _ = handlerOff }

    /// Throws a `NumericalError` when `status` is not `GSL_SUCCESS`, with GSL's own message
    /// (`gsl_strerror`) and the operation that failed.
    public static func check(_ status: Int32, _ operation: String) throws {
        guard status != 0 else { return }
        let text = gsl_strerror(status).map { String(cString: $0) } ?? "unknown GSL error"
        throw NumericalError(code: status, "\(operation): GSL error \(status): \(text)")
    }

    /// The version of the GSL library in use.
    public static var version: String { String(cString: ebm_gsl_version()) }
}
