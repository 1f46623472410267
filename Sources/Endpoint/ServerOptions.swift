import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

/// How the endpoint's HTTP server runs: plain HTTP or HTTPS, and how long a
/// connection may sit without sending a whole request part.
public struct ServerOptions: Sendable {
    /// A connection that sends no complete request head (or body part) for
    /// this long is closed, so a client trickling headers a byte a second
    /// cannot hold a connection (and its memory) forever.
    public var idleTimeout: TimeAmount
    /// PEM certificate chain and private key for HTTPS; nil for plain HTTP.
    public var tls: (certificate: String, key: String)?

    public init(idleTimeout: TimeAmount = .seconds(30), tls: (certificate: String, key: String)? = nil) {
        self.idleTimeout = idleTimeout
        self.tls = tls
    }

    func builder() throws -> HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: idleTimeout))
        guard let tls else { return http1 }
        return try .tls(http1, tlsConfiguration: Self.tlsConfiguration(certificate: tls.certificate, key: tls.key))
    }

    /// Loads the PEM files; the error says which file and why.
    public static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw TLSFileError(description: "Cannot read the certificate \(certificate): \(error). It must be a PEM file.")
        }
        guard !chain.isEmpty else { throw TLSFileError(description: "\(certificate) holds no PEM certificate.") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw TLSFileError(description: "Cannot read the private key \(key): \(error). It must be an unencrypted PEM key.")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }
}

public struct TLSFileError: Error, CustomStringConvertible {
    public var description: String
}
