import LeagueCore
import Testing

@Suite struct AttachmentKindTests {
    let pdf = Array("%PDF-1.7\n".utf8)

    @Test func aFileIsTakenByItsContentAndItsName() throws {
        #expect(try AttachmentKind.check(fileName: "总结.PDF", size: 100, head: pdf).get() == .pdf)
        #expect(try AttachmentKind.check(fileName: "a.jpeg", size: 100, head: [0xFF, 0xD8, 0xFF, 0xE0]).get() == .jpeg)
        #expect(try AttachmentKind.check(fileName: "名单.xlsx", size: 100, head: [0x50, 0x4B, 0x03, 0x04]).get() == .xlsx)
    }

    @Test func emptyOversizedForeignAndRenamedFilesAreRefused() {
        func message(_ result: Result<AttachmentKind, AttachmentKind.Problem>) -> String? {
            if case .failure(let problem) = result { problem.message } else { nil }
        }
        #expect(message(AttachmentKind.check(fileName: "a.pdf", size: 0, head: [])) == "文件是空的，请重新选择")
        #expect(message(AttachmentKind.check(fileName: "a.pdf", size: AttachmentKind.maximumBytes, head: pdf)) == nil)
        #expect(message(AttachmentKind.check(fileName: "a.pdf", size: AttachmentKind.maximumBytes + 1, head: pdf))
            == "文件超过 20 MB，请压缩后再上传")
        #expect(message(AttachmentKind.check(fileName: "run.exe", size: 10, head: [0x4D, 0x5A]))?.hasPrefix("只能上传 PDF") == true)
        #expect(message(AttachmentKind.check(fileName: "photo.png", size: 10, head: pdf)) == "文件内容与扩展名 .png 不符，可能已损坏或被改名")
        #expect(message(AttachmentKind.check(fileName: "form.png", size: 10, head: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                                             allowed: [.pdf])) == "只能上传 PDF 文件")
    }

    @Test func namesLoseFoldersAndControlsAndKeepTheirSuffix() {
        #expect(AttachmentKind.cleanName("C:\\Users\\x\\季度总结.pdf") == "季度总结.pdf")
        #expect(AttachmentKind.cleanName("../../etc/\u{0}pass\"wd.pdf") == "passwd.pdf")
        let long = AttachmentKind.cleanName(String(repeating: "长", count: 150) + ".docx")
        #expect(long.count == 100)
        #expect(long.hasSuffix(".docx"))
        #expect(AttachmentKind.cleanName(String(repeating: "a", count: 150)).count == 100)
        #expect(AttachmentKind.cleanName("x." + String(repeating: "b", count: 150)).count == 100)
    }
}
