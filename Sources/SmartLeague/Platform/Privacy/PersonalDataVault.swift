import Crypto
import LeagueCore
import Foundation
import Vapor

/// Seals personal identifiers at rest (AES-GCM) and gives each a keyed hash (HMAC-SHA256) for
/// uniqueness and exact search, so that the database never holds an ID number in the clear.
/// Both keys derive from one 256-bit secret: `SMARTLEAGUE_DATA_KEY` (base64), or a file
/// generated beside the data on first start. The secret is never logged.
final class PersonalDataVault: Sendable {
    private let sealingKey: SymmetricKey
    private let hashingKey: SymmetricKey

    init(secret: SymmetricKey) {
        sealingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Data("smartleague seal v1".utf8), outputByteCount: 32)
        hashingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Data("smartleague hash v1".utf8), outputByteCount: 32)
    }

    func seal(_ text: String) throws -> String {
        try AES.GCM.seal(Data(text.utf8), using: sealingKey).combined!.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw Abort(.internalServerError, reason: "sealed value is not base64") }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: sealingKey), as: UTF8.self)
    }

    func hash(_ text: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: hashingKey))
    }

    /// The secret from the environment, else from `file`, which is created (mode 0600) when missing.
    static func loadSecret(environment: String?, file: String) throws -> SymmetricKey {
        if let environment, !environment.isEmpty {
            guard let data = Data(base64Encoded: environment), data.count == 32 else {
                throw Settings.Invalid(problems: ["SMARTLEAGUE_DATA_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)"])
            }
            return SymmetricKey(data: data)
        }
        let manager = FileManager.default
        if let text = manager.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) {
            guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
                throw Settings.Invalid(problems: ["\(file) does not hold a 32-byte base64 key"])
            }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n"
        try manager.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = file + ".\(UUID().uuidString)"
        guard manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Settings.Invalid(problems: ["cannot write the data key to \(file)"])
        }
        // Another process may have written it meanwhile: the first one wins, everyone reads it.
        if (try? manager.linkItem(atPath: temporary, toPath: file)) == nil, manager.fileExists(atPath: file) {
            try? manager.removeItem(atPath: temporary)
            return try loadSecret(environment: nil, file: file)
        }
        try? manager.removeItem(atPath: temporary)
        return key
    }
}

extension Application {
    private struct VaultKey: StorageKey { typealias Value = PersonalDataVault }

    var vault: PersonalDataVault {
        get { configured(VaultKey.self) }
        set { storage[VaultKey.self] = newValue }
    }
}
