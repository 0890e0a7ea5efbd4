import Vapor

extension Response {
    /// A CSV file to save, named in ASCII for old browsers and in Chinese (RFC 6266) for the rest.
    static func csv(_ text: String, fileName: String, chineseName: String? = nil) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.markAsCSV(fileName: fileName, chineseName: chineseName)
        return response
    }

    func markAsCSV(fileName: String, chineseName: String? = nil) {
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        nameDownload(fallback: fileName, name: chineseName)
    }

    /// Content-Disposition with an ASCII fallback and the real (UTF-8) name; `inline` shows the file
    /// in the browser instead of saving it.
    func nameDownload(fallback: String, name: String?, inline: Bool = false) {
        var value = "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\""
        // Only unreserved ASCII stays as it is; CharacterSet.alphanumerics would let Chinese through.
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if let encoded = name?.addingPercentEncoding(withAllowedCharacters: unreserved) {
            value += "; filename*=UTF-8''\(encoded)"
        }
        headers.replaceOrAdd(name: .contentDisposition, value: value)
    }
}
