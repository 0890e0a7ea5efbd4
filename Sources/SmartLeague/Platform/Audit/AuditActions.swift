import Foundation

/// Chinese names of the audited actions.
enum AuditActions {
    static let labels: [String: String] = [
        "organization.create": "设立组织", "organization.update": "修改组织信息", "organization.rename": "组织更名",
        "organization.dissolve": "撤销组织", "organization.merge": "合并团支部", "organization.move": "变更上级组织",
        "organization.request_move": "申请变更上级", "organization.request_rename": "申请更名",
        "organization.request_decide": "审批变更申请", "organization.request_withdraw": "撤回变更申请",
        "account.create": "创建账号", "account.sign_in": "登录", "account.sign_in_failed": "登录失败",
        "account.locked": "账号锁定", "account.sign_out": "退出登录", "account.change_password": "修改密码",
        "account.reset_password": "重置密码", "account.unlock": "解除锁定", "account.disable": "停用账号",
        "account.enable": "启用账号", "account.move": "账号转移", "system.bootstrap": "系统初始化",
        "member.create": "登记团员", "member.update": "修改团员信息", "member.reveal": "查看身份证号",
        "member.export": "导出团员名单", "member.import": "批量导入团员", "member.move": "团员转入",
        "system.demo": "生成演示数据",
    ]

    static func label(_ action: String) -> String { labels[action] ?? action }
}
