/// A share in whole percent, rounded down; nothing to share is 0.
public func percentShare(_ part: Int, of whole: Int) -> Int {
    whole == 0 ? 0 : part * 100 / whole
}
