/// Measure that a demo line counts towards once the system reads it.
enum DemoMeasure: Sendable {
    case fentanyl
    case pillPresses
    case currency
    case property
    case outOfScope
    case unknownCommodity
}

/// One line item of a demo seizure, kept structured until it is written so
/// that exclusion noise can still change single fields.
struct DemoLine: Sendable {
    var measure: DemoMeasure
    var commodity: String
    var quantity: String
    var unit: String
    /// ICE `Value USD`, empty on CBP lines.
    var value: String = ""
    var date: DemoDate
    var dateStyle: DemoDateStyle
    var fpfStyle: DemoFPFStyle
    /// AOR or SAC office as the agency typed it.
    var officeText: String
    /// True for a fentanyl line that reproduces a published CBP figure. Such
    /// lines never receive exclusion noise.
    var isPublished: Bool = false
    /// True once exclusion noise changed the line.
    var isNoisy: Bool = false
    /// FPF text written instead of the seizure's FPF in `fpfStyle`.
    var fpfOverride: String? = nil
    /// Date text written instead of `date` in `dateStyle`.
    var dateOverride: String? = nil

    /// Pounds of fentanyl as the method computes them from the written
    /// quantity and unit, or nil when the line is not a valid fentanyl line.
    var computedPounds: Double? {
        guard measure == .fentanyl, let perUnit = DemoReferenceData.poundsPerUnit(unit),
              let amount = Double(quantity) else {
            return nil
        }
        return amount * perUnit
    }
}

/// One seizure: the lines that CBP and HSI record under one FPF number.
/// A seizure with lines on both sides is a joint seizure.
struct DemoSeizure: Sendable {
    /// Canonical 16-digit FPF number.
    var fpf: String
    /// Index into the generator's CBP office list, nil for an HSI-only seizure.
    var cbpOffice: Int?
    /// `OFO` or `USBP` on the CBP lines.
    var cbpComponent: String
    /// Index into the SAC office list, nil for a CBP-only seizure.
    var sacOffice: Int?
    var cbpLines: [DemoLine] = []
    var iceLines: [DemoLine] = []

    var isJoint: Bool {
        !cbpLines.isEmpty && !iceLines.isEmpty
    }

    func cbpRecord(index: Int) -> [String] {
        let line = cbpLines[index]
        return [
            line.fpfOverride ?? line.fpfStyle.format(fpf),
            line.dateOverride ?? line.dateStyle.format(line.date),
            cbpComponent,
            line.officeText,
            line.commodity,
            line.quantity,
            line.unit,
        ]
    }

    func iceRecord(index: Int) -> [String] {
        let line = iceLines[index]
        return [
            line.fpfOverride ?? line.fpfStyle.format(fpf),
            line.dateOverride ?? line.dateStyle.format(line.date),
            line.officeText,
            line.commodity,
            line.quantity,
            line.unit,
            line.value,
        ]
    }
}
